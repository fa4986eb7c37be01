# shellcheck shell=bash
# Helpers shared by the deploy scripts. Source it; do not run it.
#
# An options file (deploy/options/*.args) holds one command-line argument per line,
# exactly as `newsbeam run` takes it (`--name=value`, or a bare `--flag`). Blank lines
# and lines starting with `#` are ignored. `${NAME}` in a line is replaced by the
# environment variable NAME, which must be set (an unset one is an error, never an
# empty string). Nothing else is interpreted: no quotes, no globbing, no command
# substitution, so a value may hold spaces and `*` as it is.

if ((BASH_VERSINFO[0] < 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] < 4))); then
  echo "error: these scripts need bash 4.4 or newer (on macOS: brew install bash)" >&2
  # shellcheck disable=SC2317  # exit only when run rather than sourced
  return 1 2>/dev/null || exit 1
fi

# render_line LINE: LINE with every ${NAME} replaced by the value of NAME.
render_line() {
  local line=$1 out="" name match
  while [[ $line =~ \$\{([A-Za-z_][A-Za-z0-9_]*)\} ]]; do
    match=${BASH_REMATCH[0]}
    name=${BASH_REMATCH[1]}
    if [[ -z ${!name+set} ]]; then
      echo "error: \${$name} is used but not set" >&2
      return 1
    fi
    out+="${line%%"$match"*}${!name}"
    line=${line#*"$match"}
  done
  printf '%s\n' "$out$line"
}

# read_args FILE ARRAY: the arguments of options file FILE into the array named ARRAY.
read_args() {
  local file=$1 line rendered
  local -n into=$2
  into=()
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line#"${line%%[![:space:]]*}"}   # leading blanks
    line=${line%"${line##*[![:space:]]}"}   # trailing blanks
    [[ -z $line || $line == \#* ]] && continue
    rendered=$(render_line "$line") || return 1
    into+=("$rendered")
  done < "$file"
}

# render_file FILE: FILE with every ${NAME} replaced (for JSON bodies and YAML).
render_file() {
  local file=$1 line
  while IFS= read -r line || [[ -n $line ]]; do
    render_line "$line" || return 1
  done < "$file"
}

# require NAME...: fail unless every variable NAME is set and not empty.
require() {
  local name
  for name in "$@"; do
    if [[ -z ${!name:-} ]]; then
      echo "error: set $name (edit the variables at the top of the script or export it)" >&2
      return 1
    fi
  done
}

# submit_run FOLDER NAMESPACE JOB_NAME ARGS_FILE [--name=value ...]: one run on a
# Kubernetes cluster (deploy/flink, deploy/spark): the options file plus the command
# line go to a ConfigMap, FOLDER/submit-job.yaml starts the submitter Job, and its log
# (ending with the run's summary) is followed until the Job completes.
submit_run() {
  local folder=$1 namespace=$2 job=$3 args_file=$4
  shift 4
  local -a args
  read_args "$args_file" args
  args+=("$@")
  local list
  list=$(mktemp)
  printf '%s\n' "${args[@]}" > "$list"
  kubectl -n "$namespace" create configmap "$job-args" --from-file=args="$list"
  rm -f "$list"
  render_file "$folder/submit-job.yaml" | kubectl apply -f -
  kubectl -n "$namespace" logs -f "job/$job" -c submit --pod-running-timeout=10m
  kubectl -n "$namespace" wait "job/$job" --for=condition=complete --timeout=60s
}
