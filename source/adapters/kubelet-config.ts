import {existsSync, readFileSync} from 'node:fs';
import {parse} from 'yaml';
import {defaultThresholds, thresholdsFromEvictionHard, type EvictionThresholds, type ThresholdOrigin} from '../domain/eviction.js';
import {defaultImageGc, imageGcFrom} from '../domain/image-gc.js';
import {errorLine, OperatorError} from '../domain/operator-error.js';
import {findKubeletCmdline, type KubeletCmdline, parseEvictionHardFlag} from './proc/kubelet-cmdline.js';

export const kubeletConfigPath = '/var/lib/kubelet/config.yaml';

export interface KubeletEviction {
	thresholds: EvictionThresholds;
	warnings: string[];
}

/** The parts of a KubeletConfiguration layerscope reads. */
interface KubeletFileConfig {
	evictionHard?: unknown;
	imageGCHighThresholdPercent?: unknown;
	imageGCLowThresholdPercent?: unknown;
}

type FileRead = {kind: 'missing'} | {kind: 'bad'; warning: string} | {kind: 'ok'; evictionHard: unknown; config: KubeletFileConfig};

function readConfigFile(path: string, candidates: string[] = [path]): FileRead {
	for (const candidate of candidates) {
		let text: string;
		try {
			text = readFileSync(candidate, 'utf8');
		} catch {
			continue;
		}
		try {
			const parsed = parse(text) as KubeletFileConfig | null;
			const config = parsed && typeof parsed === 'object' ? parsed : {};
			return {kind: 'ok', evictionHard: config.evictionHard, config};
		} catch (error) {
			return {kind: 'bad', warning: `${path}: not valid YAML (${errorLine(error)}); using kubelet's default eviction thresholds`};
		}
	}
	return {kind: 'missing'};
}

function fromMap(evictionHard: unknown, source: string, origin: ThresholdOrigin, gcValues: {high?: unknown; low?: unknown} = {}): KubeletEviction {
	const result = thresholdsFromEvictionHard(evictionHard, source);
	const gc = imageGcFrom(gcValues, source);
	// A config without evictionHard means the kubelet's defaults, read from there.
	const thresholds = result.thresholds === defaultThresholds ? {...defaultThresholds, source: `kubelet defaults (${source} sets no evictionHard)`, origin} : {...result.thresholds, origin};
	return {thresholds: {...thresholds, imageGc: gc.imageGc, kubelet: true}, warnings: [...result.warnings, ...gc.warnings]};
}

const gcOf = (config: KubeletFileConfig) => ({high: config.imageGCHighThresholdPercent, low: config.imageGCLowThresholdPercent});

function imageGcOnly(values: {high?: unknown; low?: unknown}, source: string) {
	return {imageGc: imageGcFrom(values, source).imageGc};
}

/** evictionHard from the kubelet's config file when it exists; kubelet's defaults otherwise. */
export function readKubeletEviction(path = kubeletConfigPath, kubeletRuns = false): KubeletEviction {
	const file = readConfigFile(path);
	if (file.kind === 'missing') return {thresholds: kubeletRuns ? {...defaultThresholds, imageGc: defaultImageGc, kubelet: true} : defaultThresholds, warnings: []};
	// A config that exists, even unreadable, means a kubelet node: its image GC runs at the defaults.
	if (file.kind === 'bad') return {thresholds: {...defaultThresholds, imageGc: defaultImageGc, kubelet: true}, warnings: [file.warning]};
	return fromMap(file.evictionHard, path, 'config-file', gcOf(file.config));
}

export interface ResolveOptions {
	/** `--kubelet-config PATH`: wins over everything, and must be readable. */
	configPath?: string;
	/** Where the host's /proc is (a DaemonSet mounts it elsewhere). */
	procRoot?: string;
	/** The well-known config file (default /var/lib/kubelet/config.yaml). */
	defaultPath?: string;
	/** Where the host's / is mounted when not at / (kubectl debug node: /host; also LAYERSCOPE_HOST_ROOT). */
	hostRoot?: string;
	/** The running kubelet as already found in `procRoot` (null: none runs), e.g. by `report`'s /proc pass; read here otherwise. */
	kubelet?: KubeletCmdline | null;
}

/**
 * Kubelet hard-eviction thresholds from where the kubelet really reads them, in order:
 * 1. `--kubelet-config PATH`; 2. the running kubelet's `--eviction-hard` and `--config`
 * flags (/proc/PID/cmdline; a flag wins over the file, as in the kubelet);
 * 3. /var/lib/kubelet/config.yaml; 4. the kubelet's defaults.
 * `thresholds.source` says which one was used; the console, report and exporter all call this.
 */
export function resolveKubeletEviction(options: ResolveOptions = {}): KubeletEviction {
	const {configPath, procRoot = '/proc', defaultPath = kubeletConfigPath} = options;
	const hostRoot = (options.hostRoot ?? process.env.LAYERSCOPE_HOST_ROOT ?? '').replace(/\/+$/, '');
	if (configPath) {
		const file = readConfigFile(configPath);
		if (file.kind === 'missing') throw new OperatorError(`--kubelet-config ${configPath}: cannot read the file`, {hint: 'give the path of a kubelet config (KubeletConfiguration YAML)', code: 'BAD_FLAG'});
		if (file.kind === 'bad') throw new OperatorError(file.warning.replace(/; using.*$/, ''), {hint: 'give the path of a kubelet config (KubeletConfiguration YAML)', code: 'BAD_FLAG'});
		return fromMap(file.evictionHard, `--kubelet-config ${configPath}`, 'flag', gcOf(file.config));
	}
	const kubelet = options.kubelet === undefined ? findKubeletCmdline(procRoot) : options.kubelet;
	// Flags win over the config file, as in the kubelet (each value on its own).
	const flagGc = (config: KubeletFileConfig = {}) => ({high: kubelet?.imageGcHigh ?? config.imageGCHighThresholdPercent, low: kubelet?.imageGcLow ?? config.imageGCLowThresholdPercent});
	let fileConfig: KubeletFileConfig = {};
	if (kubelet?.config) {
		// The path is the kubelet's: read it through its root first (another mount namespace), then as is.
		const candidates = [`${procRoot}/${kubelet.pid}/root${kubelet.config}`, ...(hostRoot ? [`${hostRoot}${kubelet.config}`] : []), kubelet.config];
		const file = readConfigFile(kubelet.config, candidates);
		if (file.kind === 'ok') fileConfig = file.config;
		if (file.kind === 'ok' && kubelet.evictionHard === undefined) return fromMap(file.evictionHard, `kubelet --config ${kubelet.config} (pid ${kubelet.pid})`, 'kubelet-process', flagGc(fileConfig));
		if (file.kind === 'bad' && kubelet.evictionHard === undefined) return {thresholds: {...defaultThresholds, ...imageGcOnly(flagGc(), 'kubelet flags'), kubelet: true}, warnings: [file.warning]};
	}
	if (kubelet?.evictionHard !== undefined) {
		return fromMap(parseEvictionHardFlag(kubelet.evictionHard), `kubelet --eviction-hard (pid ${kubelet.pid})`, 'kubelet-process', flagGc(fileConfig));
	}
	const fallback = readKubeletEviction(hostRoot && !existsSync(defaultPath) ? `${hostRoot}${defaultPath}` : defaultPath, Boolean(kubelet));
	// A kubelet running without --config or --eviction-hard: its image GC flags still win over the file's values.
	if (kubelet && (kubelet.imageGcHigh !== undefined || kubelet.imageGcLow !== undefined)) {
		const read = fallback.thresholds.imageGc ?? defaultImageGc;
		const values = {high: kubelet.imageGcHigh ?? read.highPercent, low: kubelet.imageGcLow ?? read.lowPercent};
		return {thresholds: {...fallback.thresholds, ...imageGcOnly(values, `kubelet flags (pid ${kubelet.pid})`), kubelet: true}, warnings: fallback.warnings};
	}
	return fallback;
}
