export {CriClient, DEFAULT_CRI_TIMEOUT_MS, type CriClientOptions, type CriMessage} from './cri-client.js';
export {CriError, type CriErrorCode} from './cri-error.js';
export {DEFAULT_CRI_ENDPOINTS, normalizeCriEndpoint, criSocketPath} from './cri-endpoint.js';
export {resolveCriEndpoint, probeCriEndpoint, type ResolveCriOptions} from './cri-resolve.js';
export {CRI_PROTO_URL, loadCriProtoText} from './cri-proto.js';
export {readCriSnapshot, type CriSnapshot, type CriPod, type CriSnapshotOptions} from './cri-snapshot.js';
export {podEphemeral, type PodEphemeralUsage, type PodEphemeralOptions} from './pod-ephemeral.js';
