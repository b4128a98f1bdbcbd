/**
 * How a job type is named to people: its catalog description ("Re-encode for web playback
 * (H.264)") with its id (`reencode_streaming`) beside it, so a type another part of the app adds
 * to the catalog is named without any change here.
 */
import { isSegmentChild, JOB_TYPE_CATALOG, JOB_TYPES, type JobType } from '../../../shared/domain/job-types';
import { RESOURCE_CATEGORIES } from '../../../shared/domain/statuses';
import { CATEGORY_LABELS } from './job-presentation';

export function jobTypeLabel(type: JobType): string {
  return JOB_TYPE_CATALOG[type]?.description ?? type;
}

/** Select data: types grouped by resource category, each labelled "description (id)". */
export function jobTypeGroups(): Array<{ group: string; items: Array<{ value: JobType; label: string }> }> {
  return RESOURCE_CATEGORIES.map((category) => ({
    group: CATEGORY_LABELS[category],
    // the parts of a segmented encode are made by their parent, not by people
    items: JOB_TYPES.filter((t) => JOB_TYPE_CATALOG[t].category === category && !isSegmentChild(t)).map((t) => ({ value: t, label: `${jobTypeLabel(t)} (${t})` })),
  }));
}
