/** The toast stack (bottom right), announced politely to screen readers. */
import { Notification, Stack } from '@mantine/core';
import { useStore } from 'zustand';
import { toastStore } from '../stores/toast-store';

export function Toasts() {
  const toasts = useStore(toastStore, (s) => s.toasts);
  const dismiss = useStore(toastStore, (s) => s.dismiss);
  return (
    <Stack gap="xs" pos="fixed" bottom={16} right={16} w={360} style={{ zIndex: 1000 }} aria-live="polite">
      {toasts.map((t) => (
        <Notification key={t.id} color={t.color} title={t.title} onClose={() => dismiss(t.id)} withBorder closeButtonProps={{ 'aria-label': 'Dismiss' }}>
          {t.message}
        </Notification>
      ))}
    </Stack>
  );
}
