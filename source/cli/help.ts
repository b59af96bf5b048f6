export const helpText = `
  Usage
    $ layerscope [options]                    full-screen console (needs a terminal)
    $ layerscope report [--json]              where the bytes live, once, non-interactive
    $ layerscope plan [--json]                cleanup plans and redesign suggestions (changes nothing)
    $ layerscope exporter [--listen ADDR]     Prometheus metrics (read-only; see deploy/)
    $ layerscope image NAME|ID [--json]       an image layer by layer: dive's figures, invisible bytes, findings
    $ layerscope image NAME|ID --ci           a CI gate compatible with dive --ci (reads ./.dive-ci)
    $ layerscope lab up|down|env [--dir DIR]  private engines for tests and demos
    $ layerscope lab seed [--reset]           seed the lab with a disk-pressure scenario

  Engines
    --runtime docker|cri|podman|auto   which engines to read (default auto: every engine that answers)
    --host URL                  Docker endpoint (default: DOCKER_HOST, then unix:///var/run/docker.sock)
    --podman-host URL           Podman endpoint (default: CONTAINER_HOST, then unix:///run/podman/podman.sock,
                                then each user's $XDG_RUNTIME_DIR/podman/podman.sock)
    --runtime-endpoint URL      CRI endpoint (default: CONTAINER_RUNTIME_ENDPOINT, then crictl's defaults)
    --timeout SECONDS           deadline for each engine call (default 10)
    --df-timeout SECONDS        deadline for Docker's disk-usage call (default 120)
    --kubelet-config PATH       kubelet config whose evictionHard and imageGC{High,Low}ThresholdPercent
                                to use (default: the running kubelet's flags and --config, then
                                /var/lib/kubelet/config.yaml, then the kubelet's defaults)

  Safety
    --read-only                 no remove or prune can reach any engine (also LAYERSCOPE_READ_ONLY=1,
                                or "read-only = true" in ~/.config/layerscope/config or /etc/layerscope/config)
    --audit-log PATH            where executed actions are logged (default $XDG_STATE_HOME/layerscope/actions.jsonl)

  Console and report
    --interval SECONDS          sampling period (default 5)
    --samples N                 report: take N samples and add growth rates (default 1)
    --json                      report, plan: machine-readable output
    --format text|json|markdown report: output format (markdown: an audit/incident record)
    --output FILE               report: write to FILE instead of standard output
    --container NAME|ID         open (or report) one container's writable layer
    --other-files               report: walk the rest of each filesystem and class it (otherFiles[])
    --other-root PATH           walk PATH instead of the filesystem's mount point (the "Other files" breakdown)
    --kubelet-root PATH         kubelet --root-dir, for emptyDir attribution (default /var/lib/kubelet)

  Exporter
    --listen HOST:PORT          where to serve /metrics and /healthz (default 127.0.0.1:9721;
                                0.0.0.0:9721 or :9721 serves every interface)
    --interval SECONDS          exporter: sampling period (default 15)
    --host-proc DIR             the host's /proc, to find the kubelet's flags (default /proc)

  Plan
    --build-cache-older-than D  plan: prune only build cache unused for longer than D (24h, 7d, 1h30m)
    --build-cache-keep SIZE     plan: prune least recently used build cache until SIZE remains
                                (docker's --keep-storage: 5GB = 5 GiB; it caps the cache, not free space)

  Image (layerscope image NAME --ci)
    --ci                        evaluate the rules; exit 0 all pass, 1 any fails, 2 bad input
    --ci-config FILE            dive's YAML rules file (default ./.dive-ci when present)
    --lowest-efficiency R       ratio 0..1 (dive's default 0.9); "disabled" turns a rule off
    --highest-wasted-bytes SIZE 20MB = 20,000,000, 20MiB = 2^20 x 20 (default disabled)
    --highest-user-wasted-percent R   ratio 0..1, 0.1 = 10% (default 0.1)
    --highest-invisible-bytes SIZE    ours: bytes stored in layers but invisible (default disabled)
    --source auto|store|export  where layers are read (default auto: the store on disk when
                                readable as root, else the engine's export stream)

  Lab
    --dir DIR                   directory for the private engines (default /tmp/layerscope-lab)
    --purge                     lab down: also delete the lab directory
    --reset                     lab seed: remove the previous scenario first

  Other
    --debug                     show stack traces on errors
    --version                   print the version
    --help                      this help

  Examples
    $ sudo layerscope report
    $ layerscope report --json | jq .ledger
    $ eval "$(layerscope lab env)" && layerscope report
`;

export const flagSpec = {
	runtime: {type: 'string', default: 'auto', choices: ['docker', 'cri', 'podman', 'auto'] as string[]},
	host: {type: 'string'},
	podmanHost: {type: 'string'},
	runtimeEndpoint: {type: 'string'},
	timeout: {type: 'number', default: 10},
	dfTimeout: {type: 'number', default: 120},
	interval: {type: 'number', default: 5},
	samples: {type: 'number', default: 1},
	json: {type: 'boolean', default: false},
	format: {type: 'string' as const, choices: ['text', 'json', 'markdown'] as string[]},
	output: {type: 'string'},
	readOnly: {type: 'boolean', default: false},
	auditLog: {type: 'string'},
	container: {type: 'string'},
	otherFiles: {type: 'boolean', default: false},
	otherRoot: {type: 'string'},
	kubeletRoot: {type: 'string'},
	buildCacheOlderThan: {type: 'string'},
	buildCacheKeep: {type: 'string'},
	dir: {type: 'string', default: '/tmp/layerscope-lab'},
	purge: {type: 'boolean', default: false},
	reset: {type: 'boolean', default: false},
	debug: {type: 'boolean', default: false},
	kubeletConfig: {type: 'string'},
	listen: {type: 'string'},
	hostProc: {type: 'string'},
	ci: {type: 'boolean', default: false},
	ciConfig: {type: 'string'},
	lowestEfficiency: {type: 'string'},
	highestWastedBytes: {type: 'string'},
	highestUserWastedPercent: {type: 'string'},
	highestInvisibleBytes: {type: 'string'},
	source: {type: 'string'},
} satisfies Record<string, {type: 'string' | 'number' | 'boolean'; default?: unknown; choices?: string[]}>;
