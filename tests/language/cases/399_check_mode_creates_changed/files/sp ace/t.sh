#!/bin/sh
echo spaced
