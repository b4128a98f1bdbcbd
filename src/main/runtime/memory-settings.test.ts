/** MemorySettingsStore passes the settings store conformance suite, as the database stores do. */
import { describeSettingsStoreConformance } from '../storage/conformance/settings-store-conformance';
import { MemorySettingsStore } from './memory-settings';

describeSettingsStoreConformance('memory', async () => ({ settings: new MemorySettingsStore(), close: async () => undefined }));
