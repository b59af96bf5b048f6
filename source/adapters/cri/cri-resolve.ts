import {CriClient} from './cri-client.js';
import {DEFAULT_CRI_ENDPOINTS, normalizeCriEndpoint} from './cri-endpoint.js';
import {CriError} from './cri-error.js';

export interface ResolveCriOptions {
	/** Deadline of each probing Version call (default 2000 ms). */
	probeTimeoutMs?: number;
	/** Defaults to crictl's list. */
	candidates?: string[];
}

/**
 * Which CRI endpoint to use: the --runtime-endpoint flag, else CONTAINER_RUNTIME_ENDPOINT,
 * else the first default socket whose Version call succeeds. An explicit choice is returned
 * as is (normalized) without probing, so its own error surfaces when it is used.
 */
export async function resolveCriEndpoint(flag?: string, env: NodeJS.ProcessEnv = process.env, options: ResolveCriOptions = {}): Promise<string> {
	if (flag?.trim()) return normalizeCriEndpoint(flag);
	const fromEnv = env.CONTAINER_RUNTIME_ENDPOINT;
	if (fromEnv?.trim()) return normalizeCriEndpoint(fromEnv);
	const candidates = (options.candidates ?? DEFAULT_CRI_ENDPOINTS).map(normalizeCriEndpoint);
	const reasons: string[] = [];
	for (const endpoint of candidates) {
		const failure = await probeCriEndpoint(endpoint, options.probeTimeoutMs ?? 2000);
		if (failure === null) return endpoint;
		reasons.push(`${endpoint}: ${failure.code === 'NO_SOCKET' ? 'no socket' : failure.code.toLowerCase()}`);
	}
	throw new CriError('NO_ENDPOINT', `no CRI runtime answers (${reasons.join('; ')})`, candidates.join(','), 'pass --runtime-endpoint or set CONTAINER_RUNTIME_ENDPOINT');
}

/** Null when a Version call succeeds, else the CriError it raised. */
export async function probeCriEndpoint(endpoint: string, timeoutMs = 2000): Promise<CriError | null> {
	let client: CriClient | undefined;
	try {
		client = CriClient.connect(endpoint, {timeoutMs});
		await client.version();
		return null;
	} catch (error) {
		if (error instanceof CriError) return error;
		return new CriError('FAILED', `CRI probe of ${endpoint} failed: ${String(error)}`, endpoint, '');
	} finally {
		client?.close();
	}
}
