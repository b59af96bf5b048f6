/** crictl's endpoints, without gRPC: `report` checks them before loading the CRI client (issue 18). */

/** crictl's default order. */
export const DEFAULT_CRI_ENDPOINTS = ['unix:///run/containerd/containerd.sock', 'unix:///run/crio/crio.sock', 'unix:///var/run/cri-dockerd.sock'];

/** "unix:///p", "unix:/p" or a bare "/p" → "unix:///p". Other schemes pass through. */
export function normalizeCriEndpoint(endpoint: string): string {
	const trimmed = endpoint.trim();
	if (trimmed.startsWith('/')) return `unix://${trimmed}`;
	if (trimmed.startsWith('unix:')) return `unix://${trimmed.slice('unix:'.length).replace(/^\/\//, '')}`;
	return trimmed;
}

/** Filesystem path of a unix endpoint, or null for network endpoints. */
export function criSocketPath(endpoint: string): string | null {
	const normalized = normalizeCriEndpoint(endpoint);
	return normalized.startsWith('unix://') ? normalized.slice('unix://'.length) : null;
}
