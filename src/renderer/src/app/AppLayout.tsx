/**
 * The app shell: header (title, who is signed in and with which role, live indicator, sign-out on the web), navigation (Jobs, Library,
 * System) and the current page, chosen by the URL hash.
 */
import { AppShell, Badge, Burger, Button, Group, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useCallback, useState } from 'react';
import { useStore } from 'zustand';
import { Icon, type IconName } from '../components/icons';
import { Toasts } from '../components/Toasts';
import { JobsPage } from '../features/jobs/JobsPage';
import { LibraryPage } from '../features/library/LibraryPage';
import { SystemPage } from '../features/system/SystemPage';
import { createNavigationStore, type NavigationStore, type Page } from '../stores/navigation-store';
import { useAppStore } from '../stores/stores-context';
import { ConnectionBadge } from './ConnectionBadge';
import { SessionBadge } from './SessionBadge';

const NAV: ReadonlyArray<{ page: Page; label: string; icon: IconName }> = [
  { page: 'jobs', label: 'Jobs', icon: 'jobs' },
  { page: 'library', label: 'Library', icon: 'library' },
  { page: 'system', label: 'System', icon: 'system' },
];

export interface AppLayoutProps {
  readonly onSignOut?: () => void;
  readonly navigation?: NavigationStore;
}

export function AppLayout({ onSignOut, navigation: given }: AppLayoutProps) {
  const [navigation] = useState(() => given ?? createNavigationStore());
  const route = useStore(navigation, (s) => s.route);
  const [opened, { toggle, close }] = useDisclosure();
  const stats = useAppStore('queue', (s) => s.stats);
  const queuePaused = useAppStore('queue', (s) => s.queue?.paused ?? false);
  const openJob = useCallback((jobId: string | null) => navigation.getState().openJob(jobId), [navigation]);

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 210, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Icon name="film" size={22} />
            <Title order={1} size="h4">
              Media Job Control
            </Title>
          </Group>
          <Group gap="sm">
            {queuePaused && (
              <Badge color="orange" variant="light">
                Queue paused
              </Badge>
            )}
            <SessionBadge />
            <ConnectionBadge />
            {onSignOut && (
              <Button variant="subtle" size="xs" color="gray" leftSection={<Icon name="logout" size={14} />} onClick={onSignOut}>
                Sign out
              </Button>
            )}
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        {NAV.map((item) => (
          <NavLink
            key={item.page}
            href={`#/${item.page}`}
            label={item.label}
            leftSection={<Icon name={item.icon} size={18} />}
            active={route.page === item.page}
            aria-current={route.page === item.page ? 'page' : undefined}
            rightSection={
              item.page === 'jobs' && stats && stats.running > 0 ? (
                <Badge size="sm" color="yellow" circle aria-label={`${stats.running} running`}>
                  {stats.running}
                </Badge>
              ) : undefined
            }
            onClick={(e) => {
              e.preventDefault();
              navigation.getState().navigate({ page: item.page });
              close();
            }}
          />
        ))}
        {stats && (
          <Text size="xs" c="dimmed" mt="auto" p="xs">
            {stats.running} running · {stats.pending + stats.queued} waiting
            {stats.totalVramAvailable !== null ? ` · VRAM ${stats.totalVramUsed}/${stats.totalVramAvailable} MB` : ''}
          </Text>
        )}
      </AppShell.Navbar>
      <AppShell.Main>
        {route.page === 'jobs' && <JobsPage jobId={route.jobId} onOpenJob={openJob} />}
        {route.page === 'library' && <LibraryPage onJobCreated={(id) => openJob(id)} />}
        {route.page === 'system' && <SystemPage />}
      </AppShell.Main>
      <Toasts />
    </AppShell>
  );
}
