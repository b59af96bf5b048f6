import {readFileSync} from 'node:fs';
import {parse} from 'yaml';
import {defaultThresholds, thresholdsFromEvictionHard, type EvictionThresholds} from '../domain/eviction.js';
import {errorLine} from '../domain/operator-error.js';

export const kubeletConfigPath = '/var/lib/kubelet/config.yaml';

export interface KubeletEviction {
	thresholds: EvictionThresholds;
	warnings: string[];
}

/** evictionHard from the kubelet's config file when it exists; kubelet's defaults otherwise. */
export function readKubeletEviction(path = kubeletConfigPath): KubeletEviction {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch {
		return {thresholds: defaultThresholds, warnings: []};
	}
	try {
		const config = parse(text) as {evictionHard?: unknown} | null;
		return thresholdsFromEvictionHard(config?.evictionHard, path);
	} catch (error) {
		return {
			thresholds: defaultThresholds,
			warnings: [`${path}: not valid YAML (${errorLine(error)}); using kubelet's default eviction thresholds`],
		};
	}
}
