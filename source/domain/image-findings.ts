/**
 * Build-time mistakes visible in an image's history and layers (pure).
 * History is given oldest first; each entry says whether it made a layer.
 */

export interface HistoryStep {
	createdBy: string;
	bytes: number;
	/** Index into the image's layers, or null for metadata-only steps. */
	layer: number | null;
}

export interface LayerWhiteout {
	/** Layer (bottom = 0) whose whiteout hides the path. */
	layer: number;
	/** Path inside the image, raw. */
	path: string;
	/** Bytes of the hidden path in lower layers: still shipped with the image. */
	hiddenBytes: number;
	/** Lowest layer that had the path. */
	addedIn: number;
}

export type ImageFindingKind = 'copy-before-install' | 'index-update-alone' | 'deleted-in-later-layer' | 'overwritten-in-later-layer' | 'sensitive-file-shipped';

export interface ImageFinding {
	kind: ImageFindingKind;
	bytes: number;
	/** One line grounded in what was observed. */
	reason: string;
	/** The concrete change to make. */
	change: string;
	paths?: string[];
}

const installPattern = /\b(pip3?\s+install|npm\s+(ci|install)|yarn(\s+install)?\b|pnpm\s+install|bundle\s+install|go\s+mod\s+download|composer\s+install|poetry\s+install|mvn\s+.*dependency|gradle\b)/;
const wholeContext = /^(?:\/bin\/sh -c #\(nop\) )?\s*(?:COPY|ADD)\s+(?:--\S+\s+)*(?:\.\/?|dir:[0-9a-f]+)\s+(?:in\s+)?\S+/i;
const indexUpdate = /\b(apt-get\s+update|apt\s+update|apk\s+update|yum\s+makecache|dnf\s+makecache)\b/;
const packageInstall = /\b(apt-get\s+install|apt\s+install|apk\s+add|yum\s+install|dnf\s+install)\b/;
const sensitive = /(^|\/)(\.env(\.[\w.-]+)?|id_(rsa|dsa|ecdsa|ed25519)|\.netrc|\.npmrc|\.pypirc|\.git-credentials|credentials(\.json)?|[^/]*\.(pem|key|p12|pfx|jks))$/i;

export const isSensitivePath = (path: string) => sensitive.test(path);

function instruction(createdBy: string): string {
	return createdBy
		.replace(/\s+#\s*buildkit\s*$/, '')
		.replace(/^\/bin\/sh -c #\(nop\)\s*/, '')
		.replace(/^\/bin\/sh -c\s+/, 'RUN ')
		.trim();
}

export function historyFindings(history: readonly HistoryStep[]): ImageFinding[] {
	const findings: ImageFinding[] = [];
	const copyAt = history.findIndex(step => wholeContext.test(step.createdBy.replace(/^RUN\s+/, '')));
	if (copyAt >= 0) {
		const install = history.slice(copyAt + 1).find(step => installPattern.test(step.createdBy));
		if (install) {
			findings.push({
				kind: 'copy-before-install',
				bytes: install.bytes,
				reason: `"${instruction(history[copyAt]!.createdBy)}" comes before "${instruction(install.createdBy).slice(0, 60)}", so every code change reinstalls the dependencies`,
				change: 'copy only the dependency manifests (package*.json, requirements.txt, go.sum…) first, install, then COPY the rest',
			});
		}
	}
	for (const step of history) {
		if (indexUpdate.test(step.createdBy) && !packageInstall.test(step.createdBy)) {
			findings.push({
				kind: 'index-update-alone',
				bytes: step.bytes,
				reason: `"${instruction(step.createdBy).slice(0, 70)}" sits in its own RUN: its ${step.bytes} bytes of index ship forever and go stale in cache`,
				change: 'update, install and clean the index in one RUN (apt-get update && apt-get install … && rm -rf /var/lib/apt/lists/*)',
			});
		}
	}
	return findings;
}

export function whiteoutFindings(whiteouts: readonly LayerWhiteout[]): ImageFinding[] {
	const hidden = whiteouts.filter(w => w.hiddenBytes > 0);
	const findings: ImageFinding[] = [];
	if (hidden.length > 0) {
		const bytes = hidden.reduce((t, w) => t + w.hiddenBytes, 0);
		findings.push({
			kind: 'deleted-in-later-layer',
			bytes,
			reason: `${hidden.length} path(s) added in one layer are deleted in a later one; deleting frees nothing, the bytes still ship`,
			change: 'install and clean up in the same RUN, or build in a separate stage and COPY --from only the result (multi-stage build)',
			paths: hidden.sort((a, b) => b.hiddenBytes - a.hiddenBytes).map(w => w.path),
		});
	}
	const secrets = whiteouts.filter(w => isSensitivePath(w.path));
	if (secrets.length > 0) {
		findings.push({
			kind: 'sensitive-file-shipped',
			bytes: secrets.reduce((t, w) => t + w.hiddenBytes, 0),
			reason: `${secrets.map(w => w.path).join(', ')} deleted in a later layer is hidden from containers but still inside the image`,
			change: 'rotate the secret, keep it out of the build context (.dockerignore) or use a build secret mount (RUN --mount=type=secret)',
			paths: secrets.map(w => w.path),
		});
	}
	return findings;
}

/** A path written again by a later layer: the earlier copies still ship (image-analysis.ts). */
export interface LayerOverwriteRef {
	layer: number;
	path: string;
	hiddenBytes: number;
	addedIn: number;
}

/**
 * Findings from a full layer analysis: deletions (whiteoutFindings) and overwrites, with one
 * sensitive-file finding covering secrets deleted or overwritten in a later layer.
 */
export function layerFindings(deleted: readonly LayerWhiteout[], overwritten: readonly LayerOverwriteRef[]): ImageFinding[] {
	const findings = whiteoutFindings(deleted).filter(f => f.kind !== 'sensitive-file-shipped');
	const hidden = overwritten.filter(o => o.hiddenBytes > 0);
	if (hidden.length > 0) {
		findings.push({
			kind: 'overwritten-in-later-layer',
			bytes: hidden.reduce((t, o) => t + o.hiddenBytes, 0),
			reason: `${hidden.length} path(s) written in one layer are written again in a later one; the earlier copies still ship`,
			change: 'write each file once: generate or edit it in the RUN that creates it, or in a build stage, then COPY --from the final version',
			paths: [...hidden].sort((a, b) => b.hiddenBytes - a.hiddenBytes).map(o => o.path),
		});
	}
	const secrets = [...deleted.map(d => ({path: d.path, bytes: d.hiddenBytes, how: 'deleted'})), ...overwritten.map(o => ({path: o.path, bytes: o.hiddenBytes, how: 'overwritten'}))].filter(s => isSensitivePath(s.path));
	if (secrets.length > 0) {
		findings.push({
			kind: 'sensitive-file-shipped',
			bytes: secrets.reduce((t, s) => t + s.bytes, 0),
			reason: `${secrets.map(s => `${s.path} (${s.how})`).join(', ')} in a later layer is hidden from containers but still inside the image`,
			change: 'rotate the secret, keep it out of the build context (.dockerignore) or use a build secret mount (RUN --mount=type=secret)',
			paths: secrets.map(s => s.path),
		});
	}
	return findings;
}
