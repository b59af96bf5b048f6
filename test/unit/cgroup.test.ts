import {describe, expect, it} from 'vitest';
import {matchContainer, parseCgroup} from '../../source/domain/cgroup.js';
import {holderLabel, displayPath, jsonPath} from '../../source/domain/deleted-open.js';
import type {DeletedOpenFile} from '../../source/domain/types.js';

const id = 'a'.repeat(40) + '0123456789abcdef01234567';
const other = 'b'.repeat(64);
const uid = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

describe('parseCgroup', () => {
	it('reads Docker under systemd (v2) and cgroupfs (v1 and v2)', () => {
		expect(parseCgroup(`0::/system.slice/docker-${id}.scope\n`)).toMatchObject({containerId: id, engine: 'docker', unit: null});
		expect(parseCgroup(`0::/docker/${id}\n`)).toMatchObject({containerId: id, engine: 'docker'});
		const v1 = `12:memory:/docker/${id}\n11:pids:/docker/${id}\n1:name=systemd:/docker/${id}\n0::/\n`;
		expect(parseCgroup(v1)).toMatchObject({containerId: id, engine: 'docker'});
	});

	it('reads hybrid hosts, where the unified line is empty and v1 names the container', () => {
		expect(parseCgroup(`9:name=systemd:/docker/${id}\n4:memory:/docker/${id}\n0::/\n`).containerId).toBe(id);
	});

	it('reads containerd CRI pods under kubepods, systemd and cgroupfs drivers, with the pod uid', () => {
		const systemd = `0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${uid.replace(/-/g, '_')}.slice/cri-containerd-${id}.scope\n`;
		expect(parseCgroup(systemd)).toMatchObject({containerId: id, engine: 'containerd', podUid: uid});
		expect(parseCgroup(`0::/kubepods/burstable/pod${uid}/${id}\n`)).toMatchObject({containerId: id, engine: 'containerd', podUid: uid});
		expect(parseCgroup(`0::/kubepods.slice/kubepods-pod${uid.replace(/-/g, '_')}.slice/cri-containerd-${id}.scope`)).toMatchObject({podUid: uid});
		expect(parseCgroup(`0::/system.slice/cri-containerd-${id}.scope`)).toMatchObject({containerId: id, engine: 'containerd', podUid: null});
		expect(parseCgroup(`0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${uid.replace(/-/g, '_')}.slice/crio-${id}.scope`)).toMatchObject({engine: 'cri-o'});
	});

	it('reads plain containerd /<namespace>/<id> by matching known ids only', () => {
		const info = parseCgroup('0::/default/my-task\n');
		expect(info.containerId).toBeNull();
		expect(matchContainer(info, new Set(['my-task']))).toBe('my-task');
		expect(matchContainer(info, new Set(['other']))).toBeNull();
		expect(matchContainer(parseCgroup(`0::/k8s.io/${id}`), new Set([id]))).toBe(id);
	});

	it('reads Podman, nested or not, and never takes conmon for the container', () => {
		expect(parseCgroup(`0::/machine.slice/libpod-${id}.scope/container\n`)).toMatchObject({containerId: id, engine: 'podman'});
		expect(parseCgroup(`0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-${id}.scope`)).toMatchObject({containerId: id, engine: 'podman'});
		const conmon = parseCgroup(`0::/machine.slice/libpod-conmon-${id}.scope\n`);
		expect(conmon.containerId).toBeNull();
		expect(conmon.unit).toBe(`libpod-conmon-${id}.scope`);
	});

	it('names the systemd unit of a host process', () => {
		expect(parseCgroup('0::/system.slice/cron.service\n')).toMatchObject({containerId: null, unit: 'cron.service'});
		expect(parseCgroup('0::/user.slice/user-0.slice/session-3.scope\n').unit).toBe('session-3.scope');
		expect(parseCgroup('1:name=systemd:/system.slice/nginx.service\n0::/\n').unit).toBe('nginx.service');
	});

	it('survives hostile and malformed text', () => {
		const hostile = [
			'',
			'garbage',
			'0::',
			':::::',
			`0::/docker/${id}\x1b[2J\n`,
			`0::/docker/${id.toUpperCase()}`,
			`0::/docker/${id}0`,
			`0::/system.slice/docker-${id}.scope.evil`,
			'0::/' + 'x/'.repeat(100_000),
			`0::/evil\n0::/docker/${other}`,
			'0::/\u202e\u0000/ünï/\uD800',
		];
		for (const text of hostile) {
			const info = parseCgroup(text);
			expect(info.path.length).toBeLessThanOrEqual(4096);
			if (info.containerId) expect(info.containerId).toMatch(/^[0-9a-f]{64}$/);
		}
		expect(parseCgroup(`0::/docker/${id}\x1b[2J`).containerId).toBeNull();
		expect(parseCgroup(`0::/system.slice/docker-${id}.scope.evil`).containerId).toBeNull();
		// a container naming a sub-cgroup after another container's id is still matched to its own id first
		expect(matchContainer(parseCgroup(`0::/docker/${id}/${other}`), new Set([id]))).toBe(id);
	});
});

describe('deleted-open display', () => {
	const file = (path: string, holder: DeletedOpenFile['holder']): DeletedOpenFile => ({
		pid: 42,
		startTime: 1,
		fd: 3,
		command: 'app\x1b]0;pwn\x07',
		path,
		device: 1,
		statDevice: 1,
		inode: 2,
		bytes: 1,
		allocatedBytes: 4096,
		holders: [{pid: 42, fd: 3}],
		holder,
	});

	it('escapes control bytes and invalid UTF-8 in paths, commands and names', () => {
		const raw = Buffer.from([0x2f, 0x74, 0x1b, 0x5b, 0x32, 0x4a, 0xff, 0x0a]).toString('latin1');
		const f = file(raw, {container: null, unit: 'evil\n.service'});
		expect(displayPath(f)).toBe('/t\\e[2J\\xff\\n');
		expect(jsonPath(f)).toBe('/t\\e[2J\\xff\\n');
		expect(jsonPath(file(Buffer.from('/var/log/é.log').toString('latin1'), {container: null, unit: null}))).toBe('/var/log/é.log');
		expect(holderLabel(f)).toBe('pid 42 app\\e]0;pwn\\x07, evil\\n.service');
		expect(holderLabel(file('/x', {container: {engine: 'docker', id, name: 'we\u202eb'}, unit: null}))).toBe('we\\u{202e}b (docker)');
	});
});
