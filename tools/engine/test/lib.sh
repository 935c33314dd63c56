# Shell helpers of the language hosts' real tests (../{python,go}/test/e2e.sh), sourced after they
# set $tmp (their temporary directory), $root (the repository) and STEP_TIMEOUT.

step() { # step NAME COMMAND... : run with a time-out, print the duration, log to $tmp/NAME.log
    local name=$1; shift
    local start=$SECONDS rc=0
    timeout --kill-after=30 "$STEP_TIMEOUT" "$@" >"$tmp/$name.log" 2>&1 || rc=$?
    printf 'e2e: %-40s %4ds  %s\n' "$name" $((SECONDS - start)) "$([ $rc = 0 ] && echo ok || echo "FAILED ($rc)")"
    if [ $rc != 0 ]; then
        sed 's/^/    | /' "$tmp/$name.log" | tail -n 40
        return 1
    fi
}
expect() { # expect NAME ACTUAL WANTED
    if [ "$2" = "$3" ]; then
        printf 'e2e: %-40s        ok (%s)\n' "$1" "$2"
    else
        printf 'e2e: %-40s        FAILED: got %q, want %q\n' "$1" "$2" "$3"
        return 1
    fi
}

write_component() {
    local dir=$1
    # The test package the language hosts' tests add (tools/engine/testpkg: one component,
    # testpkg:index:Thing, whose output name is "<prefix>-<resource name>").
    mkdir -p "$dir"
    cp -r "$root/tools/engine/testpkg/." "$dir"
    # The CLI runs `npm install` in a source plugin's directory and insists on a node_modules after
    # it; the package has no dependencies of its own (NODE_PATH supplies @pulumi/pulumi), so npm
    # would create none: an empty one is enough, and nothing is installed.
    mkdir -p "$dir/node_modules"
}
