# The npm registry reachable here serves no metadata for other platforms' optional binaries
# (biome, rollup), so `npm install` leaves them out of package-lock.json and `npm ci` then
# refuses the lock. This adds the missing entries (platform-tagged, skipped on install).
# Run after any `npm install`: python3 scripts/fix-lockfile-optional-platforms.py package-lock.json
import json, sys
p = sys.argv[1]
lock = json.load(open(p))
pk = lock['packages']
# Collect optional deps declared by packages in the lock whose entries are missing.
missing = {}
for path, meta in list(pk.items()):
    for name, spec in (meta.get('optionalDependencies') or {}).items():
        base = path + '/node_modules/' + name if path else 'node_modules/' + name
        if ('node_modules/' + name) in pk or base in pk:
            continue
        missing['node_modules/' + name] = (spec, meta)
def platform(name):
    n = name.split('/')[-1]
    os_ = next((o for o in ['android','darwin','win32','freebsd','openbsd','netbsd','sunos','aix','openharmony','linux'] if o in n), None)
    cpu = None
    for c, keys in [('arm64',['arm64','aarch64']),('x64',['x64']),('ia32',['ia32']),('loong64',['loong64']),('ppc64',['ppc64']),('riscv64',['riscv64']),('s390x',['s390x']),('arm',['arm-eabi','gnueabihf','musleabihf','-arm-'])]:
        if any(k in n for k in keys): cpu = c; break
    libc = 'musl' if 'musl' in n else ('glibc' if 'gnu' in n and os_=='linux' else None)
    return os_, cpu, libc
for key, (spec, parent) in sorted(missing.items()):
    version = spec.lstrip('^~=')
    os_, cpu, libc = platform(key)
    entry = {'version': version}
    if parent.get('dev'): entry['dev'] = True
    entry['optional'] = True
    if cpu: entry['cpu'] = [cpu]
    if libc: entry['libc'] = [libc]
    if os_: entry['os'] = [os_]
    entry['license'] = parent.get('license', 'MIT')
    pk[key] = entry
    print('added', key, version, os_, cpu, libc)
lock['packages'] = dict(sorted(pk.items(), key=lambda kv: (kv[0] != '', kv[0])))
json.dump(lock, open(p, 'w'), indent=2)
open(p, 'a').write('\n')
