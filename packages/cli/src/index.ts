export {
  type ServiceConfigValidation,
  type ValidateServiceConfigOptions,
  validateServiceConfig,
  validateServiceConfigFile,
} from '@syncline/schema/service-config/official';
export { type CheckOptions, type CheckReport, runCheck } from './check/index.js';
export { type DevConfig, defineConfig, loadConfig, type SynclineConfig } from './config/index.js';
export { type DevOptions, type DevStack, runDev } from './dev/index.js';
export { type DoctorOptions, type DoctorReport, runDoctor } from './doctor/index.js';
export { type GenerateOptions, runGenerate } from './generate/index.js';
export type { CheckResult, CheckStatus } from './shared/report.js';
export { runSlots, type SlotInfo, type SlotsOptions, type SlotsReport } from './slots/index.js';
export { formatStatus, runStatus, type StatusReport, type UserStatus } from './status/index.js';
export { parsePrometheus, type Sample } from './status/prometheus.js';
