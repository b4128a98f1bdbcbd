/**
 * The webhooks as a form: name, URL, one try's time limit, on/off, and the signing secret, which is
 * write-only — the form shows whether one is set and offers to replace or remove it (sent on save;
 * left alone, the stored one stays). A saved webhook has a "Send test" (testNotification, operate:
 * one try, its result told). Server errors show next to the field they name (`webhooks.0.url`).
 */
import { ActionIcon, Badge, Button, Group, Input, NumberInput, Paper, PasswordInput, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { Guarded } from '../../components/Guarded';
import { Icon } from '../../components/icons';
import { errorAt, itemErrors, newWebhook, type FieldErrors, type WebhookDraft } from './notifications-draft';

const numberOrEmpty = (v: string | number): number | '' => (typeof v === 'number' ? v : v.trim() === '' ? '' : Number.isFinite(Number(v)) ? Number(v) : '');

interface SecretFieldProps {
  readonly hook: WebhookDraft;
  readonly error: string | undefined;
  readonly disabled: boolean;
  readonly onChange: (patch: Partial<WebhookDraft>) => void;
}

function SecretField({ hook: w, error, disabled, onChange }: SecretFieldProps) {
  if (w.secretAction === 'replace') {
    return (
      <Group gap="xs" align="flex-end" wrap="wrap">
        <PasswordInput
          label={w.secretSet ? 'New secret' : 'Secret'}
          description="At least 8 characters; each POST is signed with it (X-Media-Signature). It is never shown again."
          value={w.secret}
          onChange={(e) => onChange({ secret: e.currentTarget.value })}
          autoComplete="new-password"
          disabled={disabled}
          error={error}
          style={{ flex: '1 1 260px', minWidth: 0 }}
        />
        <Button size="xs" variant="subtle" color="gray" onClick={() => onChange({ secretAction: 'keep', secret: '' })} disabled={disabled} mb={error ? 22 : 4}>
          {w.secretSet ? 'Keep the current secret' : 'No secret'}
        </Button>
      </Group>
    );
  }
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        Secret
      </Text>
      <Group gap="xs" wrap="wrap">
        {w.secretAction === 'remove' ? (
          <Badge color="orange" variant="light">
            removed on save
          </Badge>
        ) : (
          <Badge color={w.secretSet ? 'green' : 'gray'} variant="light">
            {w.secretSet ? 'set' : 'not set'}
          </Badge>
        )}
        {w.secretAction === 'remove' ? (
          <Button size="xs" variant="subtle" onClick={() => onChange({ secretAction: 'keep' })} disabled={disabled}>
            Keep it
          </Button>
        ) : (
          <>
            <Button size="xs" variant="subtle" onClick={() => onChange({ secretAction: 'replace', secret: '' })} disabled={disabled}>
              {w.secretSet ? 'Replace' : 'Set a secret'}
            </Button>
            {w.secretSet && (
              <Button size="xs" variant="subtle" color="red" onClick={() => onChange({ secretAction: 'remove' })} disabled={disabled}>
                Remove
              </Button>
            )}
          </>
        )}
      </Group>
      {error && <Input.Error>{error}</Input.Error>}
    </Stack>
  );
}

interface WebhookFieldsProps {
  readonly index: number;
  readonly hook: WebhookDraft;
  readonly errors: FieldErrors;
  readonly disabled: boolean;
  /** Saved as it is now: the server can test it. */
  readonly testable: boolean;
  readonly testing: boolean;
  readonly onTest: () => void;
  readonly onChange: (patch: Partial<WebhookDraft>) => void;
  readonly onRemove: () => void;
}

function WebhookFields({ index, hook: w, errors, disabled, testable, testing, onTest, onChange, onRemove }: WebhookFieldsProps) {
  const path = `webhooks.${index}`;
  const label = w.name.trim() || `webhook ${index + 1}`;
  return (
    <Paper withBorder radius="sm" p="sm" component="fieldset" aria-label={`Webhook ${index + 1}`} style={{ minWidth: 0, margin: 0 }}>
      <Stack gap="xs">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput label="Name" value={w.name} onChange={(e) => onChange({ name: e.currentTarget.value })} disabled={disabled} error={errorAt(errors, `${path}.name`)} maxLength={100} />
          <TextInput
            label="URL"
            placeholder="https://…"
            value={w.url}
            onChange={(e) => onChange({ url: e.currentTarget.value })}
            disabled={disabled}
            error={errorAt(errors, `${path}.url`)}
            inputMode="url"
          />
        </SimpleGrid>
        {itemErrors(errors, path).map((m) => (
          <Input.Error key={m}>{m}</Input.Error>
        ))}
        <Group gap="md" align="flex-start" wrap="wrap">
          <NumberInput
            label="Time limit (s)"
            min={0.5}
            max={60}
            step={1}
            decimalScale={1}
            value={w.timeoutSeconds}
            onChange={(v) => onChange({ timeoutSeconds: numberOrEmpty(v) })}
            disabled={disabled}
            error={errorAt(errors, `${path}.timeoutMs`)}
            w={130}
          />
          <SecretField hook={w} error={errorAt(errors, `${path}.secret`)} disabled={disabled} onChange={onChange} />
          <Switch label="On" checked={w.enabled} onChange={(e) => onChange({ enabled: e.currentTarget.checked })} disabled={disabled} error={errorAt(errors, `${path}.enabled`)} mt={28} />
        </Group>
        <Group gap="xs" justify="space-between" wrap="wrap">
          <Text size="xs" c="dimmed">
            id {w.id}
          </Text>
          <Group gap="xs" wrap="nowrap">
            {testable ? (
              <Guarded operation="testNotification">
                <Button size="xs" variant="default" loading={testing} onClick={onTest} aria-label={`Send test to ${label}`}>
                  Send test
                </Button>
              </Guarded>
            ) : (
              <Text size="xs" c="dimmed">
                save to test it
              </Text>
            )}
            <ActionIcon variant="subtle" color="red" aria-label={`Remove ${label}`} onClick={onRemove} disabled={disabled}>
              <Icon name="cancel" size={16} />
            </ActionIcon>
          </Group>
        </Group>
      </Stack>
    </Paper>
  );
}

interface WebhooksEditorProps {
  readonly webhooks: readonly WebhookDraft[];
  readonly errors: FieldErrors;
  readonly disabled: boolean;
  readonly isTestable: (hook: WebhookDraft) => boolean;
  readonly isTesting: (id: string) => boolean;
  readonly onTest: (hook: WebhookDraft) => void;
  readonly onChange: (webhooks: WebhookDraft[]) => void;
  readonly onRemove: (index: number) => void;
}

export function WebhooksEditor({ webhooks, errors, disabled, isTestable, isTesting, onTest, onChange, onRemove }: WebhooksEditorProps) {
  return (
    <Stack gap="sm">
      {webhooks.length === 0 && (
        <Text size="sm" c="dimmed">
          No webhooks. A webhook gets a JSON POST (Apprise&apos;s body: title, body, type) for each rule that names it.
        </Text>
      )}
      {webhooks.map((w, i) => (
        <WebhookFields
          key={w.key}
          index={i}
          hook={w}
          errors={errors}
          disabled={disabled}
          testable={isTestable(w)}
          testing={isTesting(w.id)}
          onTest={() => onTest(w)}
          onChange={(patch) => onChange(webhooks.map((x, j) => (j === i ? { ...x, ...patch } : x)))}
          onRemove={() => onRemove(i)}
        />
      ))}
      <Group>
        <Button size="xs" variant="light" leftSection={<Icon name="plus" size={14} />} onClick={() => onChange([...webhooks, newWebhook(webhooks)])} disabled={disabled}>
          Add webhook
        </Button>
      </Group>
    </Stack>
  );
}
