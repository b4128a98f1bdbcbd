/** Renders a component inside MantineProvider (test env: no transitions or portals delays) and, optionally, the stores. */
import { MantineProvider } from '@mantine/core';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { AppStores } from '../stores/app-stores';
import { StoresProvider } from '../stores/stores-context';
import { theme } from '../theme';

export function renderUi(ui: ReactNode, stores?: AppStores): RenderResult {
  return render(ui, {
    wrapper: ({ children }: { children: ReactNode }) => (
      <MantineProvider theme={theme} env="test">
        {stores ? <StoresProvider stores={stores}>{children}</StoresProvider> : children}
      </MantineProvider>
    ),
  });
}
