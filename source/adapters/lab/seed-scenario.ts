/**
 * The demo's disk-pressure scenario: every mechanism the guide explains, on real
 * engines, at sizes that seed in seconds. Growth loops stop at a cap so a forgotten
 * lab never fills the disk.
 */

export const demoLabel = 'layerscope.demo';

export interface DemoImage {
	tag: string;
	dockerfile: string;
	files?: Record<string, string>;
	/** Build twice with a changed step: the first build becomes a dangling image. */
	rebuild?: string;
}

export interface DemoContainer {
	name: string;
	image: string;
	script: string;
	/** Wait for it to exit (a stopped container with data). */
	exits?: boolean;
	/** Wait until it prints this (its start-up work is done, so the first samples see a settled layer). */
	readyLine?: string;
	binds?: string[];
	logOpts?: Record<string, string>;
}

const base = 'layerscope.local/busybox:latest';

export const demoImages: DemoImage[] = [
	{
		tag: 'demo/model-server:1',
		dockerfile: `FROM ${base}\nRUN mkdir -p /srv/model && dd if=/dev/urandom of=/srv/model/weights.bin bs=1M count=24 2>/dev/null && echo v1 > /srv/model/VERSION\n`,
	},
	{
		tag: 'demo/toolchain:1',
		dockerfile: [`FROM ${base}`, 'RUN mkdir -p /opt/sdk && dd if=/dev/urandom of=/opt/sdk/sdk.tar bs=1M count=12 2>/dev/null', 'RUN echo apt-get update > /var/tmp/index-updated', 'RUN rm -rf /opt/sdk', ''].join('\n'),
	},
	{
		tag: 'demo/web:latest',
		dockerfile: [`FROM ${base}`, 'COPY . /app', 'RUN echo "npm ci" && mkdir -p /app/node_modules && dd if=/dev/urandom of=/app/node_modules/deps.bin bs=1M count=4 2>/dev/null', 'RUN rm /app/.env', 'RUN echo build-1 > /app/BUILD', ''].join(
			'\n',
		),
		files: {'.env': 'DATABASE_PASSWORD=demo-not-a-secret\n', 'package.json': '{"name":"web","version":"1.0.0"}\n', 'server.js': 'console.log("hello")\n'},
		rebuild: 'RUN echo build-2 > /app/BUILD',
	},
	{
		// A library tree of 3,000 files (48 MiB) owned by root, as an image's COPY leaves it.
		tag: 'demo/app-tree:1',
		dockerfile: `FROM ${base}\nRUN mkdir -p /app/lib && cd /app/lib && for d in $(seq 1 30); do mkdir m$d; for f in $(seq 1 100); do head -c 16384 /dev/urandom > m$d/f$f.js; done; done\n`,
	},
];

/** A loop that appends `chunk` every `sleep` seconds until `capMiB` is reached, then idles. */
const capped = (file: string, chunk: string, sleep: string, capMiB: number) =>
	`mkdir -p $(dirname ${file}); touch ${file}; while [ $(du -m ${file} | cut -f1) -lt ${capMiB} ]; do t=$(date +%FT%T); ${chunk} >> ${file}; sleep ${sleep}; done; sleep 2147483647`;

export const demoContainers: DemoContainer[] = [
	{
		name: 'demo-log-writer',
		image: base,
		// ~2,000 lines (about 200 kB) every second, built-in shell only: cheap on CPU, visible growth.
		script: capped('/var/log/app/access.log', 'i=0; while [ $i -lt 2000 ]; do echo "$t GET /api/orders/$RANDOM 200 12ms user-agent=demo-client/1.0 request-id=$RANDOM$RANDOM"; i=$((i+1)); done', '1', 400),
	},
	{name: 'demo-idle-big', image: base, script: 'mkdir -p /var/cache/pkgs && dd if=/dev/zero of=/var/cache/pkgs/bundle.bin bs=1M count=48 2>/dev/null; sleep 2147483647'},
	{name: 'demo-copy-up', image: 'demo/model-server:1', script: 'echo "tuned $(date)" >> /srv/model/weights.bin; sleep 2147483647'},
	// An entrypoint that runs `chown -R` over the image's tree at start: every file is copied up for its owner alone.
	{name: 'demo-chown', image: 'demo/app-tree:1', script: 'chown -R 1000:1000 /app; echo chown done; sleep 2147483647', readyLine: 'chown done'},
	{name: 'demo-whiteout', image: 'demo/model-server:1', script: 'rm -f /srv/model/weights.bin; sleep 2147483647'},
	{name: 'demo-stopped-job', image: base, script: 'mkdir -p /var/lib/job && dd if=/dev/zero of=/var/lib/job/results.db bs=1M count=16 2>/dev/null', exits: true},
	{name: 'demo-volume-writer', image: base, script: 'dd if=/dev/zero of=/data/export.bin bs=1M count=8 2>/dev/null', exits: true, binds: ['demo-orphan-data:/data']},
	{
		name: 'demo-chatty',
		image: base,
		script: 'i=0; while [ $i -lt 2000000 ]; do echo "chatty worker tick $i: processed batch, queue depth $RANDOM, cache miss ratio 0.$RANDOM"; i=$((i+1)); [ $((i % 200)) -eq 0 ] && sleep 0.2; done; sleep 2147483647',
	},
];

/** Removed after seeding, so its volume is left unreferenced. */
export const transientContainers = new Set(['demo-volume-writer']);

export const demoPod = {
	name: 'demo-grower',
	namespace: 'demo',
	container: 'grower',
	// About 1 MB/min: visibly growing, but well below the log writer the guide ranks first.
	script: 'mkdir -p /data; i=0; while [ $i -lt 2000 ]; do dd if=/dev/zero bs=64k count=1 >> /data/blob 2>/dev/null; i=$((i+1)); sleep 4; done; sleep 2147483647',
};
