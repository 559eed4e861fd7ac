#!/bin/sh
echo "args: $@"
pwd
