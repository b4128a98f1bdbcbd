/** Priority 1 (highest) … 10: 1–3 red, 4–6 orange, 7–10 default. */
import { Badge } from '@mantine/core';
import { priorityColor } from '../lib/job-presentation';

export function PriorityTag({ priority }: { readonly priority: number }) {
  const color = priorityColor(priority);
  return (
    <Badge
      variant={color ? 'light' : 'default'}
      color={color}
      radius="sm"
      size="sm"
      data-color={color ?? 'default'}
      aria-label={`Priority ${priority}`}
      title={`Priority ${priority} (1 is highest)`}
    >
      P{priority}
    </Badge>
  );
}
