/** Who this session acts as ("grafana · read"), unobtrusive in the header, with what the role allows. */
import { Badge, Tooltip, VisuallyHidden } from '@mantine/core';
import type { Role } from '../../../shared/contracts/access';
import { useAppStore } from '../stores/stores-context';

const ROLE_HINTS: Readonly<Record<Role, string>> = {
  read: 'Read: can look at jobs, the library and the system, but not act on them',
  operate: 'Operate: can create jobs, act on them and pause the queue',
  admin: 'Admin: can do everything, including managing tokens',
};

export function SessionBadge() {
  const session = useAppStore('session', (s) => s.session);
  if (session.status === 'checking') return null;
  if (session.status === 'unknown') {
    return (
      <Tooltip label={`Could not read the token's role: ${session.error}`} multiline maw={320}>
        <Badge color="gray" variant="outline" tt="none" data-testid="session-badge">
          role unknown
        </Badge>
      </Tooltip>
    );
  }
  const { name, role } = session.caller;
  return (
    <Tooltip label={ROLE_HINTS[role]} multiline maw={320}>
      <Badge color={role === 'read' ? 'gray' : role === 'operate' ? 'blue' : 'violet'} variant="light" tt="none" data-testid="session-badge">
        <VisuallyHidden>Signed in as </VisuallyHidden>
        {name} · {role}
      </Badge>
    </Tooltip>
  );
}
