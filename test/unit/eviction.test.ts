import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {readKubeletEviction} from '../../source/adapters/kubelet-config.js';
import {classifyFilesystem, defaultThresholds, parseThreshold, thresholdAmount, thresholdsFromEvictionHard} from '../../source/domain/eviction.js';
import type {FilesystemStats} from '../../source/domain/types.js';

const GiB = 2 ** 30;
const fs = (availableBytes: number, inodesFree = 900): FilesystemStats => ({
	path: '/var/lib/docker',
	sizeBytes: 100 * GiB,
	usedBytes: 100 * GiB - availableBytes,
	availableBytes,
	inodesTotal: 1000,
	inodesFree,
});

describe('parseThreshold', () => {
	it('reads percentages and quantities', () => {
		expect(parseThreshold('10%')).toEqual({kind: 'percent', value: 10});
		expect(parseThreshold('7.5%')).toEqual({kind: 'percent', value: 7.5});
		expect(parseThreshold('500Mi')).toEqual({kind: 'bytes', value: 500 * 2 ** 20});
		expect(parseThreshold('1Gi')).toEqual({kind: 'bytes', value: GiB});
		expect(parseThreshold('2G')).toEqual({kind: 'bytes', value: 2e9});
		expect(parseThreshold('1024')).toEqual({kind: 'bytes', value: 1024});
	});
	it('rejects malformed values', () => {
		for (const bad of ['', 'ten', '10 %', '101%', '5Xi', '-1Gi', null, {}]) expect(parseThreshold(bad)).toBeNull();
	});
});

describe('evictionHard', () => {
	it('falls back to kubelet defaults when absent or empty', () => {
		expect(thresholdsFromEvictionHard(undefined, 'x').thresholds).toBe(defaultThresholds);
		expect(thresholdsFromEvictionHard({}, 'x').thresholds).toBe(defaultThresholds);
		expect(defaultThresholds.nodefsAvailable).toEqual({kind: 'percent', value: 10});
		expect(defaultThresholds.imagefsAvailable).toEqual({kind: 'percent', value: 15});
		expect(defaultThresholds.nodefsInodesFree).toEqual({kind: 'percent', value: 5});
	});
	it('uses the map, disables unset signals and warns about bad values', () => {
		const {thresholds, warnings} = thresholdsFromEvictionHard({'nodefs.available': '1Gi', 'imagefs.available': 'lots'}, '/cfg');
		expect(thresholds.nodefsAvailable).toEqual({kind: 'bytes', value: GiB});
		expect(thresholds.imagefsAvailable).toEqual(defaultThresholds.imagefsAvailable);
		expect(thresholds.nodefsInodesFree).toEqual({kind: 'percent', value: 0});
		expect(thresholds.source).toBe('/cfg');
		expect(warnings).toHaveLength(1);
	});
});

describe('classifyFilesystem', () => {
	it('applies the stricter of nodefs and imagefs on a shared filesystem', () => {
		const p = classifyFilesystem(fs(50 * GiB));
		expect(p.signal).toBe('imagefs.available');
		expect(p.thresholdBytes).toBe(thresholdAmount(defaultThresholds.imagefsAvailable, 100 * GiB));
		expect(p.space).toBe('ok');
	});
	it('is warn near the threshold and critical past it', () => {
		expect(classifyFilesystem(fs(25 * GiB)).space).toBe('warn');
		expect(classifyFilesystem(fs(14 * GiB)).space).toBe('critical');
		expect(classifyFilesystem(fs(50 * GiB, 40)).inodes).toBe('critical');
		expect(classifyFilesystem(fs(50 * GiB, 80)).inodes).toBe('warn');
		expect(classifyFilesystem(fs(50 * GiB, 40)).worst).toBe('critical');
	});
	it('follows absolute thresholds', () => {
		const {thresholds} = thresholdsFromEvictionHard({'nodefs.available': '1Gi', 'imagefs.available': '2Gi', 'nodefs.inodesFree': '5%'}, 'cfg');
		expect(classifyFilesystem(fs(3 * GiB), thresholds).space).toBe('warn');
		expect(classifyFilesystem(fs(GiB), thresholds).space).toBe('critical');
		expect(classifyFilesystem(fs(10 * GiB), thresholds).space).toBe('ok');
	});
});

describe('readKubeletEviction', () => {
	const dir = mkdtempSync(join(tmpdir(), 'ls-kubelet-'));
	afterAll(() => rmSync(dir, {recursive: true, force: true}));
	it('uses defaults when the file does not exist', () => {
		expect(readKubeletEviction(join(dir, 'missing.yaml'))).toEqual({thresholds: defaultThresholds, warnings: []});
	});
	it('reads evictionHard from a KubeletConfiguration', () => {
		const path = join(dir, 'config.yaml');
		writeFileSync(path, 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nevictionHard:\n  nodefs.available: "5%"\n  imagefs.available: 500Mi\n  memory.available: 100Mi\n');
		const {thresholds, warnings} = readKubeletEviction(path);
		expect(warnings).toEqual([]);
		expect(thresholds.nodefsAvailable).toEqual({kind: 'percent', value: 5});
		expect(thresholds.imagefsAvailable).toEqual({kind: 'bytes', value: 500 * 2 ** 20});
		expect(thresholds.source).toBe(path);
	});
	it('warns on invalid YAML and keeps the defaults', () => {
		const path = join(dir, 'bad.yaml');
		writeFileSync(path, 'evictionHard: [unclosed\n');
		const result = readKubeletEviction(path);
		// The eviction thresholds are the defaults; the file's presence still marks a kubelet node (issue 20).
		expect(result.thresholds).toEqual({...defaultThresholds, imageGc: {highPercent: 85, lowPercent: 80}, kubelet: true});
		expect(result.warnings[0]).toContain('not valid YAML');
	});
});
