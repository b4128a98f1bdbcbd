/** The priority slider of the create-job modal and the change-priority dialog: 1 (highest) … 10. */
import { Slider, type SliderProps } from '@mantine/core';
import { MAX_PRIORITY, MIN_PRIORITY } from '../../../shared/domain/statuses';

const MARKS = [1, 3, 5, 7, 10].map((v) => ({ value: v, label: String(v) }));

export function PrioritySlider(props: { readonly value: number; readonly onChange: (value: number) => void } & Omit<SliderProps, 'min' | 'max' | 'step' | 'marks' | 'value' | 'onChange'>) {
  return <Slider min={MIN_PRIORITY} max={MAX_PRIORITY} step={1} marks={MARKS} thumbLabel="Priority" {...props} />;
}
