# shellcheck shell=bash
# Turning `newsbeam run` options into `gcloud dataflow flex-template run` flags.
# Source it after args.sh; do not run it.

# flex_run_flags IN OUT: the gcloud flags for the arguments in array IN, into array OUT.
#
# Options that set up the job's environment become gcloud's own flags (--region,
# --temp-location, --max-workers, ...); the ones the template's launcher sets itself
# (--runner, --project, --sdk_location) are dropped; every other option becomes a
# template parameter: `--poll-interval=120` -> `poll_interval=120`, a bare switch
# `--streaming` -> `streaming=true`; given twice, the last value wins. Parameters are joined with gcloud's alternative
# delimiter `^~^`, so values may hold commas; a value holding `~` is refused.
flex_run_flags() {
  local -n _in=$1 _out=$2
  local arg name value params="" experiments=""
  local -A _value=()
  local -a _order=()
  _out=()
  for arg in "${_in[@]}"; do
    if [[ $arg != --* ]]; then
      echo "error: expected --name=value, got: $arg" >&2
      return 1
    fi
    name=${arg#--}
    value=true
    if [[ $name == *=* ]]; then
      value=${name#*=}
      name=${name%%=*}
    fi
    name=${name//-/_}
    case $name in
      runner | project | sdk_location) ;;
      region) _out+=("--region=$value") ;;
      temp_location) _out+=("--temp-location=$value") ;;
      staging_location) _out+=("--staging-location=$value") ;;
      service_account_email) _out+=("--service-account-email=$value") ;;
      num_workers) _out+=("--num-workers=$value") ;;
      max_num_workers) _out+=("--max-workers=$value") ;;
      machine_type | worker_machine_type) _out+=("--worker-machine-type=$value") ;;
      network) _out+=("--network=$value") ;;
      subnetwork) _out+=("--subnetwork=$value") ;;
      no_use_public_ips) _out+=("--disable-public-ips") ;;
      enable_streaming_engine) _out+=("--enable-streaming-engine") ;;
      experiments) experiments+="${experiments:+,}$value" ;;
      *)
        if [[ $value == *"~"* ]]; then
          echo "error: --$name: a template parameter cannot hold '~': $value" >&2
          return 1
        fi
        [[ -n ${_value[$name]+set} ]] || _order+=("$name")
        _value[$name]=$value
        ;;
    esac
  done
  for name in "${_order[@]}"; do params+="${params:+~}$name=${_value[$name]}"; done
  if [[ -n $experiments ]]; then _out+=("--additional-experiments=$experiments"); fi
  if [[ -n $params ]]; then _out+=("--parameters=^~^$params"); fi
}

# active_job_id NAME: the id of the running job called NAME, or nothing.
active_job_id() {
  gcloud dataflow jobs list --project="$PROJECT" --region="$REGION" --status=active \
    --filter="name=$1" --format="value(id)" --limit=1
}
