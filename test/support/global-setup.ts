import { probeServices } from './databases';

export default async function globalSetup(): Promise<void> {
  await probeServices();
}
