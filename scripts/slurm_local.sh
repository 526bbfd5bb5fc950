#!/usr/bin/env bash
# The SLURM recipe of docs/CLUSTER.md on one machine: starts slurmctld and
# slurmd on localhost (Debian's slurm-wlm), submits a job array of N shards
# of a stabsim run, a comparison, a sweep and a Sobol analysis, each with a
# merge job that depends on it, waits, and checks that the merged outputs
# match a single-machine run byte for byte (every file; for run and
# compare all but the manifests, whose wall times differ).
#
# Usage: scripts/slurm_local.sh [N] [--help]
#   N  shards (default 4)
# Environment: STABSIM (the binary, default target/release/stabsim),
#   SCENARIO (default scenarios/epstein/mesa_app_default.toml),
#   REPLICATES (default 40), WORK (default a temporary folder).
# Needs root (it writes /etc/slurm and starts the daemons) and
# `apt-get install slurm-wlm`. Exit 0: merged outputs identical; 1: a
# difference; 2: SLURM missing or not started.
set -euo pipefail
if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
    awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
    exit 0
fi
cd "$(dirname "$0")/.."
ROOT=$(pwd)
N=${1:-4}
STABSIM=$(realpath "${STABSIM:-target/release/stabsim}")
SCENARIO=$(realpath "${SCENARIO:-scenarios/epstein/mesa_app_default.toml}")
REPLICATES=${REPLICATES:-40}
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$WORK"
HOST=$(hostname -s)
CPUS=$(nproc)

command -v slurmctld >/dev/null || { echo "slurm_local.sh: slurmctld not found (apt-get install slurm-wlm)" >&2; exit 2; }

mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=local
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
AuthType=auth/none
CredType=cred/none
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
NodeName=$HOST CPUs=$CPUS State=UNKNOWN
PartitionName=local Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
# Start the daemons unless they already run (a second run of the script).
scontrol ping 2>/dev/null | grep -q UP || slurmctld -i
pgrep -x slurmd >/dev/null || slurmd
up=0
for _ in $(seq 60); do
    if sinfo -h -o %T 2>/dev/null | grep -qE 'idle|mix|alloc'; then up=1; break; fi
    sleep 1
done
sinfo || true
if ((!up)); then
    echo "slurm_local.sh: the local SLURM did not come up within 60 s (see /var/log/slurm/)" >&2
    exit 2
fi

cd "$WORK"
LAST=$((N - 1))
status=0
# One recipe of docs/CLUSTER.md: the single-machine run first (into
# NAME-result, then moved aside), then one array task per shard and the
# dependent merge into NAME-result, so the merged manifest records the very
# command of the single-machine run; then every file compared.
# prove NAME SKIP COMMAND...: SKIP is a file name not compared (manifests
# with wall times), or "-".
prove() {
    local name=$1 skip=$2
    shift 2
    local cmd="$STABSIM $*"
    rm -rf "$name-result" "$name-single" "$name-shards"
    $cmd --out "$name-result" >/dev/null
    mv "$name-result" "$name-single"
    local array merge
    array=$(sbatch --parsable --array=0-$LAST --output="$name-shard-%a.log" --wrap \
        "$cmd --shard \$SLURM_ARRAY_TASK_ID/$N --out $name-shards/\$SLURM_ARRAY_TASK_ID")
    merge=$(sbatch --parsable --dependency=afterok:$array --output="$name-merge.log" --wrap \
        "$STABSIM merge $name-shards/* --out $name-result --threads 1")
    echo "$name: submitted array job $array and merge job $merge"
    for _ in $(seq 900); do
        squeue -h -j "$array,$merge" 2>/dev/null | grep -q . || break
        sleep 1
    done
    cat "$name"-shard-*.log "$name-merge.log"
    scancel "$array" "$merge" 2>/dev/null || true
    local files
    files=$(cd "$name-single" && find . -type f | sort)
    [[ -n "$files" ]] || { echo "$name: no outputs"; status=1; return; }
    # A file the merge wrote that one machine did not is a difference too.
    local extra
    extra=$(comm -13 <(echo "$files") <(cd "$name-result" 2>/dev/null && find . -type f | sort))
    for f in $extra; do echo "EXTRA: $name/${f#./}"; status=1; done
    for f in $files; do
        if [[ "$(basename "$f")" == "$skip" ]]; then continue; fi
        if cmp -s "$name-single/$f" "$name-result/$f"; then echo "same: $name/${f#./}"; else echo "DIFFERENT: $name/${f#./}"; status=1; fi
    done
}

prove run manifest.json run "$SCENARIO" --replicates "$REPLICATES" --threads 1 --quiet
prove compare manifest.json compare "$ROOT/scenarios/epstein/cops_cut_sudden.toml" \
    "$ROOT/scenarios/epstein/legitimacy_sudden.toml" --replicates 8 --ticks 300 --threads 1 --quiet
prove sweep - sweep "$SCENARIO" --lhs 12 citizens.vision=2:6 legitimacy.initial=0.5:0.9 \
    --replicates 2 --ticks 300 --threads 1 --quiet
prove sobol - sensitivity "$SCENARIO" --method sobol --params citizens.vision=2:6 \
    legitimacy.initial=0.5:0.9 -N 8 --replicates 2 --ticks 300 --threads 1 --quiet
exit $status
