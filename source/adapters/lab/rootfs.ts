import {execFileSync} from 'node:child_process';
import {copyFileSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

const busyboxPaths = ['/bin/busybox', '/usr/bin/busybox'];

/** Builds DIR/images/rootfs.tar: a static busybox and its applet links, enough for lab containers. */
export function buildRootfsTar(imagesDir: string): string {
	const tarPath = join(imagesDir, 'rootfs.tar');
	if (existsSync(tarPath)) return tarPath;
	const busybox = busyboxPaths.find(p => existsSync(p));
	if (!busybox) throw new Error('busybox not found: apt-get install busybox-static');
	const root = join(imagesDir, 'rootfs');
	rmSync(root, {recursive: true, force: true});
	for (const dir of ['bin', 'etc', 'tmp', 'var/log', 'var/tmp', 'root', 'proc', 'sys', 'dev']) mkdirSync(join(root, dir), {recursive: true});
	copyFileSync(busybox, join(root, 'bin/busybox'));
	execFileSync('chmod', ['0755', join(root, 'bin/busybox')]);
	const applets = execFileSync(busybox, ['--list'], {encoding: 'utf8'}).split('\n').filter(Boolean);
	for (const applet of applets) if (applet !== 'busybox') symlinkSync('busybox', join(root, 'bin', applet));
	writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
	writeFileSync(join(root, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
	execFileSync('chmod', ['1777', join(root, 'tmp'), join(root, 'var/tmp')]);
	execFileSync('tar', ['--numeric-owner', '-C', root, '-cf', tarPath + '.part', '.']);
	execFileSync('mv', [tarPath + '.part', tarPath]);
	rmSync(root, {recursive: true, force: true});
	return tarPath;
}
