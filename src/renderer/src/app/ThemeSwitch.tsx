/**
 * The colour theme: as the system says, light or dark. Mantine's colour-scheme manager keeps the
 * choice in localStorage, so it is remembered across reloads (and the desktop window's restarts).
 */
import { ActionIcon, Menu, Tooltip, useMantineColorScheme, type MantineColorScheme } from '@mantine/core';
import { Icon, type IconName } from '../components/icons';

const CHOICES: ReadonlyArray<{ value: MantineColorScheme; label: string; icon: IconName }> = [
  { value: 'auto', label: 'System', icon: 'monitor' },
  { value: 'light', label: 'Light', icon: 'sun' },
  { value: 'dark', label: 'Dark', icon: 'moon' },
];

export function ThemeSwitch() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const current = CHOICES.find((c) => c.value === colorScheme) ?? CHOICES[0]!;
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Tooltip label={`Theme: ${current.label}`} openDelay={300}>
          <ActionIcon variant="subtle" color="gray" aria-label={`Colour theme: ${current.label}`}>
            <Icon name={current.icon} size={18} />
          </ActionIcon>
        </Tooltip>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Theme</Menu.Label>
        {CHOICES.map((choice) => (
          <Menu.Item
            key={choice.value}
            leftSection={<Icon name={choice.icon} size={14} />}
            rightSection={choice.value === colorScheme ? <Icon name="check" size={14} /> : undefined}
            onClick={() => setColorScheme(choice.value)}
          >
            {choice.label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
