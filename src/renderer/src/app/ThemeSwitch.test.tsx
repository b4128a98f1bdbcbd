// @vitest-environment jsdom
import '../testing/setup';
import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { theme } from '../theme';
import { ThemeSwitch } from './ThemeSwitch';

describe('ThemeSwitch', () => {
  it('switches between system, light and dark, and remembers the choice', async () => {
    const user = userEvent.setup();
    localStorage.clear();
    const { unmount } = render(
      <MantineProvider theme={theme} defaultColorScheme="auto">
        <ThemeSwitch />
      </MantineProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Colour theme: System' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Dark' }, { timeout: 5000 }));
    expect(await screen.findByRole('button', { name: 'Colour theme: Dark' }, { timeout: 5000 })).toBeInTheDocument();
    expect(document.documentElement).toHaveAttribute('data-mantine-color-scheme', 'dark');
    unmount();
    // a new start reads it back
    render(
      <MantineProvider theme={theme} defaultColorScheme="auto">
        <ThemeSwitch />
      </MantineProvider>,
    );
    expect(screen.getByRole('button', { name: 'Colour theme: Dark' })).toBeInTheDocument();
  });
});
