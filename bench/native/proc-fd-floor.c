/*
 * The kernel's floor for the deleted-but-open scan (bench/deleted-open.mjs): list /proc, then
 * for every process open /proc/PID/fd once and readlinkat(2) each entry relative to it (one
 * path component per lookup, no allocation, no JavaScript), split over THREADS pthreads.
 * It prints one line per round: "ms fds deleted". Not part of layerscope: a reference run in
 * the same invocation, so the scan's figure can be read against what the machine allows.
 * Build: cc -O2 -pthread -o proc-fd-floor proc-fd-floor.c
 * Usage: proc-fd-floor THREADS ROUNDS
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct linux_dirent64 {
	unsigned long long ino;
	long long off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

static int pids[1 << 20];
static int npids, nthreads, procfd;

struct share {
	long fds, deleted;
};

static double now_ms(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void *scan(void *arg) {
	struct share *out = arg;
	long me = out->fds;
	char buf[32768], path[48], link[4096];
	out->fds = 0;
	for (int i = me; i < npids; i += nthreads) {
		snprintf(path, sizeof path, "%d/fd", pids[i]);
		int dir = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dir < 0) continue;
		long n;
		while ((n = syscall(SYS_getdents64, dir, buf, sizeof buf)) > 0) {
			for (long off = 0; off < n;) {
				struct linux_dirent64 *e = (void *)(buf + off);
				off += e->reclen;
				if (e->name[0] == '.') continue;
				ssize_t m = readlinkat(dir, e->name, link, sizeof link);
				out->fds++;
				if (m > 10 && link[0] == '/' && memcmp(link + m - 10, " (deleted)", 10) == 0) out->deleted++;
			}
		}
		close(dir);
	}
	return NULL;
}

int main(int argc, char **argv) {
	nthreads = argc > 1 ? atoi(argv[1]) : 1;
	int rounds = argc > 2 ? atoi(argv[2]) : 1;
	if (nthreads < 1 || nthreads > 64) return 2;
	for (int r = 0; r < rounds; r++) {
		double t0 = now_ms();
		procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		DIR *d = fdopendir(dup(procfd));
		struct dirent *e;
		npids = 0;
		while ((e = readdir(d)) && npids < (1 << 20))
			if (e->d_name[0] >= '0' && e->d_name[0] <= '9') pids[npids++] = atoi(e->d_name);
		closedir(d);
		pthread_t t[64];
		struct share s[64];
		for (long k = 0; k < nthreads; k++) {
			s[k].fds = k;
			s[k].deleted = 0;
			pthread_create(&t[k], NULL, scan, &s[k]);
		}
		long fds = 0, deleted = 0;
		for (int k = 0; k < nthreads; k++) {
			pthread_join(t[k], NULL);
			fds += s[k].fds;
			deleted += s[k].deleted;
		}
		close(procfd);
		printf("%.3f %ld %ld\n", now_ms() - t0, fds, deleted);
	}
	return 0;
}
