/**
 * The pages, each loaded when first shown (React.lazy): the first paint needs only the shell and
 * the page it lands on, and heavy modules (xterm.js with the job console, the charts with the
 * dashboard and savings pages) come with the pages that use them. A chunk that fails to load (the
 * server was updated under an open window) is caught by AppLayout's PageBoundary, which offers a reload.
 */
import { lazy } from 'react';

export const DashboardPage = lazy(() => import('../features/dashboard/DashboardPage').then((m) => ({ default: m.DashboardPage })));
export const JobsPage = lazy(() => import('../features/jobs/JobsPage').then((m) => ({ default: m.JobsPage })));
export const LibraryPage = lazy(() => import('../features/library/LibraryPage').then((m) => ({ default: m.LibraryPage })));
export const AutomationsPage = lazy(() => import('../features/automations/AutomationsPage').then((m) => ({ default: m.AutomationsPage })));
export const SavingsPage = lazy(() => import('../features/savings/SavingsPage').then((m) => ({ default: m.SavingsPage })));
export const SchedulesPage = lazy(() => import('../features/queue-control/SchedulesPage').then((m) => ({ default: m.SchedulesPage })));
export const NotificationsPage = lazy(() => import('../features/notifications/NotificationsPage').then((m) => ({ default: m.NotificationsPage })));
export const SettingsPage = lazy(() => import('../features/settings/SettingsPage').then((m) => ({ default: m.SettingsPage })));
export const SystemPage = lazy(() => import('../features/system/SystemPage').then((m) => ({ default: m.SystemPage })));
