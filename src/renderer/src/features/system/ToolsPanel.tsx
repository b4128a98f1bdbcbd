/** ffmpeg and ffprobe in use, and which hardware/software encoders work (with the reasons others failed). */
import { Alert, Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { SystemInfo } from '../../../../shared/contracts/system';

function Tool({ name, tool }: { readonly name: string; readonly tool: SystemInfo['tools']['ffmpeg'] }) {
  return (
    <Table.Tr>
      <Table.Td>
        <Text ff="monospace" size="sm">
          {name}
        </Text>
      </Table.Td>
      {tool ? (
        <>
          <Table.Td>
            <Text size="sm">{tool.version}</Text>
          </Table.Td>
          <Table.Td>
            <Text size="xs" ff="monospace" c="dimmed" style={{ wordBreak: 'break-all' }}>
              {tool.path}
            </Text>
          </Table.Td>
          <Table.Td>
            <Badge variant="light" color="gray" tt="none">
              {tool.source}
            </Badge>
          </Table.Td>
        </>
      ) : (
        <Table.Td colSpan={3}>
          <Text size="sm" c="red">
            not found
          </Text>
        </Table.Td>
      )}
    </Table.Tr>
  );
}

export function ToolsPanel({ tools, encoders }: { readonly tools: SystemInfo['tools']; readonly encoders: SystemInfo['encoders'] }) {
  return (
    <Card withBorder radius="md" padding="md">
      <Title order={4} mb="sm">
        Tools and encoders
      </Title>
      <Stack gap="md">
        {tools.error && (
          <Alert color="red" title="Media tools">
            {tools.error}
          </Alert>
        )}
        <Table.ScrollContainer minWidth={500}>
          <Table verticalSpacing={4} aria-label="Media tools">
            <Table.Tbody>
              <Tool name="ffmpeg" tool={tools.ffmpeg} />
              <Tool name="ffprobe" tool={tools.ffprobe} />
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <div>
          <Text size="sm" fw={500} mb={4}>
            Working encoders
          </Text>
          {encoders.available.length === 0 ? (
            <Text size="sm" c="dimmed">
              None found.
            </Text>
          ) : (
            <Group gap={6}>
              {encoders.available.map((e) => (
                <Badge key={e} color="green" variant={e === encoders.preferred ? 'filled' : 'light'} tt="none" title={e === encoders.preferred ? 'Preferred for gpu_encode jobs' : undefined}>
                  {e}
                  {e === encoders.preferred ? ' (preferred)' : ''}
                </Badge>
              ))}
            </Group>
          )}
        </div>
        {encoders.failed.length > 0 && (
          <div>
            <Text size="sm" fw={500} mb={4}>
              Encoders that failed their test
            </Text>
            <Stack gap={4}>
              {encoders.failed.map((f) => (
                <Group key={f.encoder} gap="xs" wrap="nowrap" align="flex-start">
                  <Badge color="red" variant="light" tt="none" style={{ flexShrink: 0 }}>
                    {f.encoder}
                  </Badge>
                  <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-word' }}>
                    {f.reason}
                  </Text>
                </Group>
              ))}
            </Stack>
          </div>
        )}
      </Stack>
    </Card>
  );
}
