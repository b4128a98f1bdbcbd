/**
 * The GPU request params rule (#18) lives in shared/domain/gpu-request.ts, where pipeline step
 * validation can use it too; the runtime's create path imports it from here.
 */
export { gpuRequestSchema, splitGpuRequest, type GpuRequestParams } from '../../shared/domain/gpu-request';
