import {spawn, type ChildProcess} from 'node:child_process';
import {chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {resolveKubeletEviction} from '../../source/adapters/kubelet-config.js';
import {findKubeletCmdline, flagValue, parseEvictionHardFlag} from '../../source/adapters/proc/kubelet-cmdline.js';
import {thresholdOriginLabel} from '../../source/domain/eviction.js';

const dir = mkdtempSync(join(tmpdir(), 'ls-kubelet-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));
const config = (name: string, evictionHard: string) => {
	const path = join(dir, name);
	writeFileSync(path, `kind: KubeletConfiguration\n${evictionHard}`);
	return path;
};
const missing = join(dir, 'absent.yaml');

/** A real process whose comm is "kubelet" (a shell script of that name), started with kubelet-like flags. */
let running: ChildProcess | undefined;
async function fakeKubelet(args: string[]): Promise<number> {
	const script = join(dir, 'kubelet');
	writeFileSync(script, '#!/bin/sh\nwhile :; do sleep 1; done\n');
	chmodSync(script, 0o755);
	running = spawn(script, args, {stdio: 'ignore'});
	const pid = running.pid!;
	// Exec has happened once the kernel shows the script's name.
	for (let i = 0; i < 200; i++) {
		try {
			if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'kubelet') return pid;
		} catch {
			// not yet
		}
		await new Promise(resolve => setImmediate(resolve));
	}
	throw new Error('the fake kubelet did not start');
}

afterEach(() => {
	running?.kill('SIGKILL');
	running = undefined;
});

describe('kubelet flags', () => {
	it('reads --name=value and --name value, the last one winning', () => {
		expect(flagValue(['kubelet', '--config=/a.yaml', '--v', '2'], 'config')).toBe('/a.yaml');
		expect(flagValue(['kubelet', '--config', '/b.yaml'], 'config')).toBe('/b.yaml');
		expect(flagValue(['kubelet', '--config=/a', '--config=/c'], 'config')).toBe('/c');
		expect(flagValue(['kubelet', '--configx=/a'], 'config')).toBeUndefined();
	});

	it('parses --eviction-hard as the kubelet does', () => {
		expect(parseEvictionHardFlag('memory.available<100Mi,nodefs.available<10%, imagefs.available < 2Gi,bad')).toEqual({
			'memory.available': '100Mi',
			'nodefs.available': '10%',
			'imagefs.available': '2Gi',
		});
	});
});

describe('resolveKubeletEviction: --kubelet-config, the running kubelet, the config file, the defaults', () => {
	it('uses the kubelet defaults when nothing else exists', () => {
		const {thresholds} = resolveKubeletEviction({procRoot: join(dir, 'no-proc'), defaultPath: missing});
		expect(thresholds.source).toBe('kubelet-defaults');
		expect(thresholdOriginLabel(thresholds)).toBe('kubelet defaults');
	});

	it('reads /var/lib/kubelet/config.yaml (here: defaultPath) when no kubelet runs', () => {
		const path = config('default.yaml', 'evictionHard:\n  nodefs.available: 2Gi\n');
		const {thresholds} = resolveKubeletEviction({procRoot: join(dir, 'no-proc'), defaultPath: path});
		expect(thresholds).toMatchObject({source: path, origin: 'config-file', nodefsAvailable: {kind: 'bytes', value: 2 * 2 ** 30}, imagefsAvailable: {kind: 'percent', value: 0}});
	});

	it("prefers the running kubelet's --config (found in /proc) over the default file", async () => {
		const path = config('running.yaml', 'evictionHard:\n  nodefs.available: 7%\n  imagefs.available: 9%\n');
		const pid = await fakeKubelet([`--config=${path}`, '--v=2']);
		expect(findKubeletCmdline('/proc')).toMatchObject({pid, config: path});
		const {thresholds} = resolveKubeletEviction({defaultPath: config('ignored.yaml', 'evictionHard:\n  nodefs.available: 1%\n')});
		expect(thresholds).toMatchObject({origin: 'kubelet-process', nodefsAvailable: {kind: 'percent', value: 7}, imagefsAvailable: {kind: 'percent', value: 9}});
		expect(thresholds.source).toBe(`kubelet --config ${path} (pid ${pid})`);
		expect(thresholdOriginLabel(thresholds)).toBe('running kubelet');
	});

	it("prefers the running kubelet's --eviction-hard over its --config, as the kubelet does", async () => {
		const path = config('flagged.yaml', 'evictionHard:\n  nodefs.available: 7%\n');
		const pid = await fakeKubelet(['--config', path, '--eviction-hard=nodefs.available<3Gi,imagefs.available<12%']);
		const {thresholds} = resolveKubeletEviction({defaultPath: missing});
		expect(thresholds).toMatchObject({origin: 'kubelet-process', nodefsAvailable: {kind: 'bytes', value: 3 * 2 ** 30}, imagefsAvailable: {kind: 'percent', value: 12}});
		expect(thresholds.source).toBe(`kubelet --eviction-hard (pid ${pid})`);
	});

	it('--kubelet-config wins over a running kubelet', async () => {
		await fakeKubelet(['--eviction-hard=nodefs.available<3Gi']);
		const path = config('flag.yaml', 'evictionHard:\n  nodefs.available: 500Mi\n  imagefs.available: 500Mi\n');
		const {thresholds} = resolveKubeletEviction({configPath: path});
		expect(thresholds).toMatchObject({origin: 'flag', source: `--kubelet-config ${path}`, nodefsAvailable: {kind: 'bytes', value: 500 * 2 ** 20}});
		expect(thresholdOriginLabel(thresholds)).toBe('--kubelet-config');
	});

	it('a config without evictionHard means the defaults, and says where that was read', () => {
		const path = config('empty.yaml', 'maxPods: 110\n');
		const {thresholds} = resolveKubeletEviction({configPath: path});
		expect(thresholds).toMatchObject({nodefsAvailable: {kind: 'percent', value: 10}, origin: 'flag'});
		expect(thresholds.source).toContain('sets no evictionHard');
	});

	it('an unreadable or invalid --kubelet-config is one clear error with a hint', () => {
		expect(() => resolveKubeletEviction({configPath: missing})).toThrow(/--kubelet-config .*absent\.yaml: cannot read the file/);
		const bad = join(dir, 'bad.yaml');
		writeFileSync(bad, 'evictionHard: [\n');
		expect(() => resolveKubeletEviction({configPath: bad})).toThrow(/not valid YAML/);
	});

	it("image GC thresholds from the running kubelet: its --image-gc-high-threshold flag over its --config file's values (issue 20)", async () => {
		const path = config('gc.yaml', 'imageGCHighThresholdPercent: 75\nimageGCLowThresholdPercent: 55\n');
		await fakeKubelet([`--config=${path}`, '--image-gc-high-threshold=88']);
		const {thresholds} = resolveKubeletEviction({defaultPath: missing});
		expect(thresholds).toMatchObject({origin: 'kubelet-process', imageGc: {highPercent: 88, lowPercent: 55}, kubelet: true});
	});

	it('a running kubelet with neither --config nor a config file: a kubelet node at the default image GC thresholds', async () => {
		await fakeKubelet(['--v=2']);
		const {thresholds} = resolveKubeletEviction({defaultPath: missing});
		expect(thresholds).toMatchObject({imageGc: {highPercent: 85, lowPercent: 80}, kubelet: true});
	});
});
