#!/usr/bin/env node
import '../dist/wharf.mjs';
