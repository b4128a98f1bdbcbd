/**
 * The app shell: header (navigation toggle, title, queue state, who is signed in, live indicator,
 * theme, sign-out on the web), navigation (Dashboard, Jobs, Library, System) and the current page,
 * chosen by the URL hash. The navigation collapses: behind the toggle on small screens, and on
 * wider ones too when the user folds it away (remembered), leaving the page the whole width.
 */
import { AppShell, Badge, Burger, Button, Group, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure, useLocalStorage } from '@mantine/hooks';
import { Suspense, useCallback, useState } from 'react';
import { useStore } from 'zustand';
import { Icon, type IconName } from '../components/icons';
import { Toasts } from '../components/Toasts';
import { LoadingState } from '../components/StateViews';
import { AutomationsPage, DashboardPage, JobsPage, LibraryPage, NotificationsPage, SavingsPage, SchedulesPage, SettingsPage, SystemPage } from './pages';
import { createNavigationStore, type NavigationStore, type Page, type RouteQuery } from '../stores/navigation-store';
import { useAppStore } from '../stores/stores-context';
import { ConnectionBadge } from './ConnectionBadge';
import { ConnectionBanner } from './ConnectionBanner';
import { PageBoundary } from './PageBoundary';
import { SessionBadge } from './SessionBadge';
import { ThemeSwitch } from './ThemeSwitch';

const NAV: ReadonlyArray<{ page: Page; label: string; icon: IconName }> = [
  { page: 'dashboard', label: 'Dashboard', icon: 'dashboard' },
  { page: 'jobs', label: 'Jobs', icon: 'jobs' },
  { page: 'library', label: 'Library', icon: 'library' },
  { page: 'automations', label: 'Automations', icon: 'retry' },
  { page: 'savings', label: 'Savings', icon: 'encode' },
  { page: 'schedules', label: 'Schedules', icon: 'gpu' },
  { page: 'notifications', label: 'Notifications', icon: 'alert' },
  { page: 'settings', label: 'Settings', icon: 'sidebar' },
  { page: 'system', label: 'System', icon: 'system' },
];

export interface AppLayoutProps {
  readonly onSignOut?: () => void;
  readonly navigation?: NavigationStore;
}

export function AppLayout({ onSignOut, navigation: given }: AppLayoutProps) {
  const [navigation] = useState(() => given ?? createNavigationStore());
  const route = useStore(navigation, (s) => s.route);
  const [mobileOpened, { toggle: toggleMobile, close: closeMobile }] = useDisclosure();
  const [desktopOpened, setDesktopOpened] = useLocalStorage({ key: 'media-job-control:navigation-open', defaultValue: true });
  const stats = useAppStore('queue', (s) => s.stats);
  const queuePaused = useAppStore('queue', (s) => s.queue?.paused ?? false);
  const openJob = useCallback((jobId: string | null) => navigation.getState().openJob(jobId), [navigation]);
  const setQuery = useCallback((query: RouteQuery) => navigation.getState().setQuery(query), [navigation]);
  const go = useCallback((page: Page, query?: RouteQuery) => navigation.getState().navigate({ page, ...(query ? { query } : {}) }), [navigation]);

  return (
    <AppShell
      header={{ height: 52 }}
      navbar={{ width: { sm: 180, lg: 210 }, breakpoint: 'sm', collapsed: { mobile: !mobileOpened, desktop: !desktopOpened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={mobileOpened} onClick={toggleMobile} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Burger opened={desktopOpened} onClick={() => setDesktopOpened((o) => !o)} visibleFrom="sm" size="sm" aria-label={desktopOpened ? 'Hide navigation' : 'Show navigation'} />
            <Icon name="film" size={22} />
            <Title order={1} size="h4" style={{ whiteSpace: 'nowrap' }}>
              Media Job Control
            </Title>
          </Group>
          <Group gap="xs" wrap="nowrap">
            {queuePaused && (
              <Badge color="orange" variant="light">
                Queue paused
              </Badge>
            )}
            <SessionBadge />
            <ConnectionBadge />
            <ThemeSwitch />
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
              go(item.page);
              closeMobile();
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
        <ConnectionBanner />
        {/* pages load on first visit (pages.tsx); a page that cannot load or render says so, alone */}
        <PageBoundary key={route.page}>
          <Suspense fallback={<LoadingState label="Loading the page…" />}>
            {route.page === 'dashboard' && <DashboardPage onOpenJob={openJob} onShowJobs={(query) => go('jobs', query)} onShowSavings={() => go('savings')} />}
            {route.page === 'jobs' && <JobsPage jobId={route.jobId} onOpenJob={openJob} query={route.query} onQueryChange={setQuery} />}
            {route.page === 'library' && <LibraryPage onJobCreated={(id) => openJob(id)} query={route.query} onQueryChange={setQuery} />}
            {route.page === 'automations' && <AutomationsPage onOpenJob={openJob} query={route.query} onQueryChange={setQuery} />}
            {route.page === 'savings' && <SavingsPage />}
            {route.page === 'schedules' && <SchedulesPage />}
            {route.page === 'notifications' && <NotificationsPage />}
            {route.page === 'settings' && <SettingsPage />}
            {route.page === 'system' && <SystemPage />}
          </Suspense>
        </PageBoundary>
      </AppShell.Main>
      <Toasts />
    </AppShell>
  );
}
