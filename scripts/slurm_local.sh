#!/usr/bin/env bash
# The SLURM recipe of docs/CLUSTER.md on one machine: starts slurmctld and
# slurmd on localhost (Debian's slurm-wlm), submits a job array of N shards
# of a stabsim run and a merge job that depends on it, waits, and checks
# that the merged outputs match a single-machine run byte for byte (every
# file but the manifest, whose wall times and command differ).
#
# Usage: scripts/slurm_local.sh [N] [--help]
#   N  shards (default 4)
# Environment: STABSIM (the binary, default target/release/stabsim),
#   SCENARIO (default scenarios/epstein/mesa_app_default.toml),
#   REPLICATES (default 40), WORK (default a temporary folder).
# Needs root (it writes /etc/slurm and starts the daemons) and
# `apt-get install slurm-wlm`. Exit 0: merged outputs identical.
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
for _ in $(seq 60); do
    sinfo -h -o %T 2>/dev/null | grep -qE 'idle|mix|alloc' && break
    sleep 1
done
sinfo

cd "$WORK"
LAST=$((N - 1))
# The recipe of docs/CLUSTER.md: one array task per shard, then the merge.
ARRAY=$(sbatch --parsable --array=0-$LAST --output=shard-%a.log --wrap \
    "$STABSIM run $SCENARIO --replicates $REPLICATES --threads 1 --quiet --shard \$SLURM_ARRAY_TASK_ID/$N --out shards/\$SLURM_ARRAY_TASK_ID")
MERGE=$(sbatch --parsable --dependency=afterok:$ARRAY --output=merge.log --wrap \
    "$STABSIM merge shards/* --out merged --threads 1")
echo "submitted array job $ARRAY and merge job $MERGE"
for _ in $(seq 600); do
    squeue -h -j "$ARRAY,$MERGE" 2>/dev/null | grep -q . || break
    sleep 1
done
cat shard-*.log merge.log
"$STABSIM" run "$SCENARIO" --replicates "$REPLICATES" --threads 1 --quiet --out single
status=0
for f in single/*; do
    name=$(basename "$f")
    [[ "$name" == manifest.json ]] && continue
    if cmp -s "$f" "merged/$name"; then echo "same: $name"; else echo "DIFFERENT: $name"; status=1; fi
done
scancel "$ARRAY" "$MERGE" 2>/dev/null || true
exit $status
