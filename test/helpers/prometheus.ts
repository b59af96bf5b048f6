import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parse, stringify} from 'yaml';
import {waitFor} from './lab.js';

export const deployDir = new URL('../../deploy/', import.meta.url).pathname;

/** A port nothing listens on right now (bound to 0, then released). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as {port: number};
			server.close(() => resolve(port));
		});
	});
}

export interface Daemon {
	url: string;
	dir: string;
	child: ChildProcess;
	log(): string;
	stop(): Promise<void>;
}

function start(file: string, args: string[], url: string, dir: string, ready: string): Promise<Daemon> {
	let output = '';
	const child = spawn(file, args, {stdio: ['ignore', 'pipe', 'pipe']});
	child.stdout!.on('data', chunk => (output += chunk));
	child.stderr!.on('data', chunk => (output += chunk));
	const daemon: Daemon = {
		url,
		dir,
		child,
		log: () => output,
		stop: () =>
			new Promise(resolve => {
				if (child.exitCode !== null || child.signalCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			}),
	};
	return waitFor(`${file} ready at ${url}`, async () => {
		if (child.exitCode !== null) throw new Error(`${file} exited ${child.exitCode}: ${output.slice(-2000)}`);
		const response = await fetch(`${url}${ready}`).catch(() => null);
		return response?.ok ? daemon : undefined;
	});
}

/** Debian's prometheus-alertmanager on 127.0.0.1, with its own storage, clustering off; config from deploy/. */
export async function startAlertmanager(): Promise<Daemon> {
	const dir = mkdtempSync(join(tmpdir(), 'ls-am-'));
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	return start(
		'/usr/bin/prometheus-alertmanager',
		[`--config.file=${join(deployDir, 'alertmanager/alertmanager.yaml')}`, `--storage.path=${dir}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='],
		url,
		dir,
		'/-/ready',
	);
}

/**
 * Debian's prometheus on 127.0.0.1 with its own storage, from deploy/prometheus/prometheus.yaml:
 * only the cluster-specific parts change (the exporter's address instead of Kubernetes discovery,
 * Alertmanager's address, 2 s scrape and evaluation), and rules.yaml with `for:` shortened in a
 * copy for the alerts named in `immediate`.
 */
export async function startPrometheus(options: {target: string; alertmanager: string; immediate: string[]}): Promise<Daemon> {
	const dir = mkdtempSync(join(tmpdir(), 'ls-prom-'));
	const rules = parse(readFileSync(join(deployDir, 'prometheus/rules.yaml'), 'utf8'));
	for (const group of rules.groups) for (const rule of group.rules) if (options.immediate.includes(rule.alert)) rule.for = '0s';
	writeFileSync(join(dir, 'rules.yaml'), stringify(rules));
	const config = parse(readFileSync(join(deployDir, 'prometheus/prometheus.yaml'), 'utf8'));
	config.global = {...config.global, scrape_interval: '2s', evaluation_interval: '2s'};
	config.rule_files = [join(dir, 'rules.yaml')];
	config.alerting.alertmanagers = [{static_configs: [{targets: [options.alertmanager]}]}];
	const job = config.scrape_configs[0];
	delete job.kubernetes_sd_configs;
	delete job.relabel_configs;
	job.static_configs = [{targets: [options.target]}];
	writeFileSync(join(dir, 'prometheus.yaml'), stringify(config));
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	return start('/usr/bin/prometheus', [`--config.file=${join(dir, 'prometheus.yaml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], url, dir, '/-/ready');
}

/** GET a Prometheus (or Alertmanager) API path, returning `data` (or the whole body for AM v2). */
export async function api<T = any>(base: string, path: string): Promise<T> {
	const response = await fetch(`${base}${path}`);
	if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
	const body = (await response.json()) as any;
	return body && typeof body === 'object' && 'status' in body && 'data' in body ? body.data : body;
}

export async function query(base: string, promql: string): Promise<Array<{metric: Record<string, string>; value: [number, string]}>> {
	const data = await api(base, `/api/v1/query?query=${encodeURIComponent(promql)}`);
	return data.result;
}
