"""A Modbus TCP server from pymodbus (Debian python3-pymodbus 3.0), as an independent peer.

Run with /usr/bin/python3 (the Debian interpreter that has pymodbus):
    /usr/bin/python3 pymodbus_server.py PORT '{"1": {"hr": [356, 65436]}, "2": {"ir": [65383]}}'
Keys are unit ids; "hr" holding registers, "ir" input registers, "co" coils, "di" discrete
inputs, each a list starting at protocol address 0.
"""
import asyncio
import json
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartAsyncTcpServer


def slave(spec):
    blocks = {}
    for kind in ("hr", "ir", "co", "di"):
        values = spec.get(kind) or [0]
        blocks[kind] = ModbusSequentialDataBlock(0, values)
    # zero_mode: request address 0 reads list index 0 (pymodbus otherwise adds 1)
    return ModbusSlaveContext(zero_mode=True, **blocks)


def main():
    port = int(sys.argv[1])
    units = json.loads(sys.argv[2])
    context = ModbusServerContext(slaves={int(u): slave(s) for u, s in units.items()}, single=False)
    asyncio.run(StartAsyncTcpServer(context=context, address=("127.0.0.1", port)))


if __name__ == "__main__":
    main()
