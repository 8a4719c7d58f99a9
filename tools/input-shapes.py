#!/usr/bin/env python3
"""Writes the input shapes of a service's API model in the compact form io.eddy.protocol.shape.ShapeModel reads.

The source is the model botocore ships (data/<service>/<version>/service-2.json[.gz]); only what request
validation needs is kept: operation inputs, member order, types, required members, lengths, ranges,
patterns and enums. Where a service is known to differ from its published model, the service adjusts
the loaded model in code (see ShapeModel's with... methods), so this output stays the model's own.

  tools/input-shapes.py MODEL OUT --source 'botocore 1.43.11' --operations PutItem,GetItem,...
"""
import argparse
import gzip
import json


def load(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rt', encoding='utf-8') as f:
        return json.load(f)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('model')
    parser.add_argument('out')
    parser.add_argument('--operations', required=True)
    parser.add_argument('--source', required=True, help='where MODEL comes from, e.g. botocore 1.43.11')
    args = parser.parse_args()

    model = load(args.model)
    shapes = model['shapes']

    kept = {}

    def keep(name):
        if name in kept:
            return
        shape = shapes[name]
        out = {'type': shape['type']}
        kept[name] = out
        for trait in ('min', 'max', 'pattern'):
            if trait in shape:
                out[trait] = shape[trait]
        if 'enum' in shape:
            out['enum'] = shape['enum']
        if shape['type'] == 'structure':
            out['members'] = {m: spec['shape'] for m, spec in shape.get('members', {}).items()}
            if shape.get('required'):
                out['required'] = shape['required']
            for spec in shape.get('members', {}).values():
                keep(spec['shape'])
        elif shape['type'] == 'list':
            out['member'] = shape['member']['shape']
            keep(shape['member']['shape'])
        elif shape['type'] == 'map':
            out['key'] = shape['key']['shape']
            out['value'] = shape['value']['shape']
            keep(shape['key']['shape'])
            keep(shape['value']['shape'])

    operations = {}
    for op in args.operations.split(','):
        spec = model['operations'][op]
        operations[op] = spec['input']['shape'] if 'input' in spec else None
        if operations[op]:
            keep(operations[op])

    document = {
        'source': args.source + ' ' + model['metadata']['uid'] + ' service-2.json, input shapes only',
        'operations': operations,
        'shapes': dict(sorted(kept.items())),
    }
    with open(args.out, 'w', encoding='utf-8') as f:
        json.dump(document, f, indent=1, sort_keys=False)
        f.write('\n')


if __name__ == '__main__':
    main()
