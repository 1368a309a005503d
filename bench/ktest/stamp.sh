#!/bin/sh
# stamp.sh FILE NAME - appends "NAME <epoch seconds.ns>" to FILE: ktest's hooks (PRE_TEST, PRE_BUILD, ...) call it
# so bench/ktest.sh can cut ktest's run into phases with sub-second stamps (ktest's own "Build time:" lines are whole seconds).
echo "$2 $(date +%s.%N)" >> "$1"
