import {describe, expect, it} from 'vitest';
import {findMountFor} from '../../source/adapters/cri/cri-storage.js';
import {findMountAt, mountForPath, overlayDirs, parseMountinfo, unescapeOctal} from '../../source/adapters/cri/mountinfo.js';

const id = 'a'.repeat(64);
const task = `/run/containerd/io.containerd.runtime.v2.task/k8s.io/${id}/rootfs`;
const snap = '/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots';
const MOUNTINFO = [
	'1 0 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro',
	'25 1 0:22 / /run rw,nosuid,nodev shared:5 - tmpfs tmpfs rw,size=1024k,mode=755',
	`60 25 0:50 / ${task} rw,relatime shared:30 - overlay overlay rw,lowerdir=${snap}/2/fs:${snap}/1/fs,upperdir=${snap}/3/fs,workdir=${snap}/3/work,index=off`,
	// Captured on kernel 6.18: a ':' inside a lower path is shown as "\134:" (backslash, then colon), ' ' as \040, ',' as \134\054.
	'58 26 0:49 / /tmp/cri-dev/ov/m rw,relatime - overlay overlay rw,lowerdir=/tmp/cri-dev/ov/lo\\134:w\\040er:/tmp/cri-dev/ov/l2\\134\\054x,upperdir=/tmp/cri-dev/ov/up,workdir=/tmp/cri-dev/ov/work,uuid=on',
	// New mount API: one "lowerdir+" option per layer; \072 is an octal-escaped ':'.
	'70 25 0:51 / /mnt/with\\040space rw master:2 shared:9 - overlay overlay rw,lowerdir+=/l/one,lowerdir+=/l/t\\072wo,upperdir=/u\\040p,workdir=/w',
	'garbage line without separator',
	'',
].join('\n');

describe('mountinfo parsing', () => {
	const mounts = parseMountinfo(MOUNTINFO);

	it('parses fields on both sides of the optional-fields separator', () => {
		expect(mounts).toHaveLength(5);
		expect(mounts[0]).toMatchObject({id: 1, parentId: 0, device: '8:1', root: '/', mountPoint: '/', fsType: 'ext4', source: '/dev/sda1'});
		expect(mounts[4].mountPoint).toBe('/mnt/with space');
		expect(mounts[1].superOptions).toEqual(['rw', 'size=1024k', 'mode=755']);
	});

	it('unescapes kernel octal escapes', () => {
		expect(unescapeOctal('a\\040b\\072c\\134d\\011e')).toBe('a b:c\\d\te');
	});

	it('reads upper and lower dirs of a containerd rootfs, top layer first', () => {
		const rootfs = findMountFor(mounts, id)!;
		expect(rootfs.mountPoint).toBe(task);
		expect(overlayDirs(rootfs)).toEqual({upperDir: `${snap}/3/fs`, lowerDirs: [`${snap}/2/fs`, `${snap}/1/fs`]});
		expect(findMountFor(mounts, 'b'.repeat(64))).toBeUndefined();
		expect(findMountFor(mounts, '')).toBeUndefined();
	});

	it('splits lowerdir only on unescaped colons and keeps spaces and commas in paths', () => {
		expect(overlayDirs(findMountAt(mounts, '/tmp/cri-dev/ov/m')!)).toEqual({
			upperDir: '/tmp/cri-dev/ov/up',
			lowerDirs: ['/tmp/cri-dev/ov/lo:w er', '/tmp/cri-dev/ov/l2,x'],
		});
	});

	it('supports lowerdir+ options', () => {
		expect(overlayDirs(findMountAt(mounts, '/mnt/with space')!)).toEqual({upperDir: '/u p', lowerDirs: ['/l/one', '/l/t:wo']});
	});

	it('finds the mount holding a path by longest mount-point prefix', () => {
		expect(mountForPath(mounts, '/run/containerd/x')!.fsType).toBe('tmpfs');
		expect(mountForPath(mounts, '/runner')!.fsType).toBe('ext4');
		expect(mountForPath(mounts, '/var/lib/containerd')!.mountPoint).toBe('/');
		expect(mountForPath(mounts, `${task}/etc`)!.fsType).toBe('overlay');
	});

	it('lets the last of stacked mounts win', () => {
		const stacked = parseMountinfo(`${MOUNTINFO}\n80 60 0:60 / ${task} rw - tmpfs tmpfs rw`);
		expect(findMountAt(stacked, task)!.fsType).toBe('tmpfs');
		expect(findMountFor(stacked, id)!.id).toBe(80);
	});
});
