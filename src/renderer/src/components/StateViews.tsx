/** Loading, error and empty states shared by every page and panel. */
import { Alert, Button, Center, EmptyState, Group, Loader, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Icon, type IconName } from './icons';

export function LoadingState({ label = 'Loading…' }: { readonly label?: string }) {
  return (
    <Center py="xl">
      <Stack align="center" gap="xs">
        <Loader size="sm" aria-label={label} />
        <Text size="sm" c="dimmed">
          {label}
        </Text>
      </Stack>
    </Center>
  );
}

export function ErrorState({ title = 'Something went wrong', message, onRetry }: { readonly title?: string; readonly message: string; readonly onRetry?: () => void }) {
  return (
    <Alert color="red" title={title} icon={<Icon name="alert" />} role="alert">
      <Group justify="space-between" align="center" wrap="nowrap">
        <Text size="sm">{message}</Text>
        {onRetry && (
          <Button size="xs" variant="white" color="red" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Group>
    </Alert>
  );
}

export function EmptyView({ icon = 'search', title, description, children }: { readonly icon?: IconName; readonly title: string; readonly description?: ReactNode; readonly children?: ReactNode }) {
  return (
    <EmptyState icon={<Icon name={icon} size={24} />} title={title} description={description} size="sm" py="xl">
      {children && <EmptyState.Actions>{children}</EmptyState.Actions>}
    </EmptyState>
  );
}
