import {status as GrpcStatus} from '@grpc/grpc-js';
import {OperatorError, oneLine} from '../../domain/operator-error.js';

export type CriErrorCode = 'NO_SOCKET' | 'NOT_SOCKET' | 'PERMISSION' | 'UNAVAILABLE' | 'UNIMPLEMENTED' | 'DEADLINE_EXCEEDED' | 'NOT_FOUND' | 'NO_ENDPOINT' | 'FAILED';

/** One-line, operator-facing CRI failure. `message` names the endpoint; `hint` says what to try. */
export class CriError extends OperatorError {
	declare readonly code: CriErrorCode;
	constructor(
		code: CriErrorCode,
		message: string,
		readonly endpoint: string,
		hint: string,
		readonly grpcCode?: number,
	) {
		super(message, {hint, code});
		this.name = 'CriError';
	}
}

interface GrpcLikeError {
	code?: number | string;
	details?: string;
	message?: string;
}

/** Map a grpc-js ServiceError (or a node error) from `method` at `endpoint` onto a CriError. */
export function toCriError(error: unknown, endpoint: string, method: string, timeoutMs: number): CriError {
	if (error instanceof CriError) return error;
	const e = (error ?? {}) as GrpcLikeError;
	const details = oneLine(String(e.details ?? e.message ?? error));
	const grpcCode = typeof e.code === 'number' ? e.code : undefined;
	if (/EACCES|permission denied/i.test(details) || e.code === 'EACCES') {
		return new CriError('PERMISSION', `permission denied on CRI socket ${endpoint}`, endpoint, "run as root or as a user in the socket's group", grpcCode);
	}
	switch (grpcCode) {
		case GrpcStatus.UNAVAILABLE:
			return new CriError(
				'UNAVAILABLE',
				`CRI runtime at ${endpoint} is not answering: ${details}`,
				endpoint,
				/ECONNREFUSED/.test(details) ? 'the socket exists but nothing listens on it; is the runtime running? (systemctl status containerd / crio)' : 'is the runtime running? check --runtime-endpoint',
				grpcCode,
			);
		case GrpcStatus.UNIMPLEMENTED:
			return new CriError('UNIMPLEMENTED', `CRI runtime at ${endpoint} does not implement runtime.v1 ${method}`, endpoint, 'needs CRI v1: containerd >= 1.6 with the cri plugin enabled, or CRI-O >= 1.20', grpcCode);
		case GrpcStatus.DEADLINE_EXCEEDED:
			return new CriError('DEADLINE_EXCEEDED', `CRI ${method} at ${endpoint} timed out after ${formatSeconds(timeoutMs)}`, endpoint, 'the runtime may be overloaded or hung; retry or raise the timeout', grpcCode);
		case GrpcStatus.NOT_FOUND:
			return new CriError('NOT_FOUND', `CRI ${method} at ${endpoint}: not found: ${details}`, endpoint, 'the object may have been removed meanwhile; refresh', grpcCode);
		default:
			return new CriError('FAILED', `CRI ${method} at ${endpoint} failed: ${details}`, endpoint, 'see the runtime log (journalctl -u containerd / crio)', grpcCode);
	}
}

function formatSeconds(ms: number): string {
	return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
