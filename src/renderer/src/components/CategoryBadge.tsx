/** A resource category (CPU / GPU Encode / GPU AI). */
import { Badge } from '@mantine/core';
import type { ResourceCategory } from '../../../shared/domain/statuses';
import { CATEGORY_COLORS, CATEGORY_LABELS } from '../lib/job-presentation';

export function CategoryBadge({ category }: { readonly category: ResourceCategory }) {
  return (
    <Badge variant="light" color={CATEGORY_COLORS[category]} radius="sm" size="sm" tt="none">
      {CATEGORY_LABELS[category]}
    </Badge>
  );
}
