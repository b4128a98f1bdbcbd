/**
 * The library's layout: folders under MEDIA_LIBRARY_PATH (created on first start) and the file
 * extensions treated as videos. Paths stored anywhere are relative to the library root.
 */
export const LIBRARY_DIRECTORIES = ['inbox', 'videos', 'public', 'playback', 'compilations', 'thumbnails', 'gifs'] as const;
export type LibraryDirectory = (typeof LIBRARY_DIRECTORIES)[number];

/** Folders that hold videos (scanned, listed); thumbnails and gifs hold derived images. */
export const VIDEO_DIRECTORIES = ['inbox', 'videos', 'public', 'playback', 'compilations'] as const;
export type VideoDirectory = (typeof VIDEO_DIRECTORIES)[number];

export const VIDEO_EXTENSIONS: readonly string[] = ['.mp4', '.m4v', '.mov', '.mkv', '.webm', '.avi', '.wmv', '.flv', '.mpg', '.mpeg', '.ts', '.m2ts', '.3gp', '.ogv'];

export const ORIENTATIONS = ['landscape', 'portrait', 'square'] as const;
export type Orientation = (typeof ORIENTATIONS)[number];

export function isVideoFileName(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && VIDEO_EXTENSIONS.includes(name.slice(dot).toLowerCase()) && !name.includes('.partial.');
}
