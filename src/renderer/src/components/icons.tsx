/**
 * A few line icons drawn inline (24×24, stroke = currentColor), so the UI needs no icon package
 * and nothing is fetched at run time (the CSP allows only our own files).
 */
import type { SVGProps } from 'react';

const PATHS = {
  scan: 'M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v3 M3 7v10a2 2 0 0 0 2 2h6 M17 17m-3 0a3 3 0 1 0 6 0a3 3 0 1 0-6 0 M19.2 19.2L21 21',
  validate: 'M12 12m-9 0a9 9 0 1 0 18 0a9 9 0 1 0-18 0 M8.5 12.5l2.5 2.5 4.5-5',
  encode: 'M4 4h16v16H4z M8 4v16 M16 4v16 M4 8h4 M4 12h4 M4 16h4 M16 8h4 M16 12h4 M16 16h4',
  grid: 'M4 4h6v6H4z M14 4h6v6h-6z M4 14h6v6H4z M14 14h6v6h-6z',
  gif: 'M4 5h16v14H4z M8.5 10.5m-1.5 0a1.5 1.5 0 1 0 3 0a1.5 1.5 0 1 0-3 0 M4 16l5-4 4 3 3-2 4 3',
  ai: 'M12 3l1.8 4.7L18.5 9.5l-4.7 1.8L12 16l-1.8-4.7L5.5 9.5l4.7-1.8z M18 15l.9 2.1L21 18l-2.1.9L18 21l-.9-2.1L15 18l2.1-.9z',
  image: 'M4 5h16v14H4z M4 15l4-4 5 5 2-2 5 5 M15 9.5m-1.5 0a1.5 1.5 0 1 0 3 0a1.5 1.5 0 1 0-3 0',
  move: 'M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z M9 13h6 M13 10.5l2.5 2.5-2.5 2.5',
  jobs: 'M4 6h16 M4 12h16 M4 18h10',
  library: 'M4 4h4v16H4z M10 4h4v16h-4z M16.5 4.5l3.5 1-4 15-3.5-1',
  system: 'M5 5h14v14H5z M9 9h6v6H9z M9 2v3 M15 2v3 M9 19v3 M15 19v3 M2 9h3 M2 15h3 M19 9h3 M19 15h3',
  play: 'M7 4v16l13-8z',
  pause: 'M6 5h4v14H6z M14 5h4v14h-4z',
  retry: 'M20 11a8 8 0 1 0-2.3 5.7 M20 4v7h-7',
  cancel: 'M6 6l12 12 M18 6L6 18',
  details: 'M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z M12 12m-3 0a3 3 0 1 0 6 0a3 3 0 1 0-6 0',
  priority: 'M12 4v16 M6 10l6-6 6 6',
  plus: 'M12 5v14 M5 12h14',
  search: 'M10 10m-7 0a7 7 0 1 0 14 0a7 7 0 1 0-14 0 M21 21l-6-6',
  copy: 'M8 8h12v12H8z M16 8V4H4v12h4',
  check: 'M5 12l5 5L20 7',
  dots: 'M5 12h.01 M12 12h.01 M19 12h.01',
  logout: 'M14 8V5a2 2 0 0 0-2-2H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h7a2 2 0 0 0 2-2v-3 M9 12h12 M18 9l3 3-3 3',
  film: 'M4 4h16v16H4z M4 9h16 M4 15h16 M9 4v5 M15 4v5 M9 15v5 M15 15v5',
  alert: 'M12 9v4 M12 17h.01 M10.3 3.9L2.4 18a2 2 0 0 0 1.7 3h15.8a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z',
  dashboard: 'M4 4h7v9H4z M13 4h7v5h-7z M13 11h7v9h-7z M4 15h7v5H4z',
  sun: 'M12 12m-4 0a4 4 0 1 0 8 0a4 4 0 1 0-8 0 M12 2v2 M12 20v2 M4.9 4.9l1.4 1.4 M17.7 17.7l1.4 1.4 M2 12h2 M20 12h2 M4.9 19.1l1.4-1.4 M17.7 6.3l1.4-1.4',
  moon: 'M20 14.5A8 8 0 1 1 9.5 4a6.5 6.5 0 0 0 10.5 10.5z',
  monitor: 'M3 4h18v12H3z M8 20h8 M12 16v4',
  sidebar: 'M4 4h16v16H4z M9 4v16',
  link: 'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1 M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1',
  gpu: 'M3 7h18v10H3z M7 17v3 M12 17v3 M17 17v3 M8 12m-2 0a2 2 0 1 0 4 0a2 2 0 1 0-4 0 M16 12m-2 0a2 2 0 1 0 4 0a2 2 0 1 0-4 0',
} as const;

export type IconName = keyof typeof PATHS;

export interface IconProps extends Omit<SVGProps<SVGSVGElement>, 'name'> {
  readonly name: IconName;
  readonly size?: number;
}

export function Icon({ name, size = 18, ...rest }: IconProps) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...rest}
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
