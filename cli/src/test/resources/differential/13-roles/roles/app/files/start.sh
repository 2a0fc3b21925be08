#!/bin/sh
exec echo app
