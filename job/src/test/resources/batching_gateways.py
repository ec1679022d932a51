# Gateways that batch, written the way a user would write one with kafka-python: the inspiration
# project's payload (device_id, temperature, humidity, epoch-second timestamp, json.dumps, no key).
# Each gateway reads its devices once a second, queues the readings and sends its queue every 10 s
# (an uplink woken to save power), the gateways out of step (their first sends 0, 3 and 6 s apart);
# one gateway loses its uplink for 40 s and sends its whole queue when it is back. Temperatures
# read to a tenth, now and then hot for a few seconds.
#
# Changes for a test: the clock is simulated (it does not sleep: 150 s of readings are sent at once,
# in the order the gateways would send them), the randomness is seeded, device_5 is hot at 85, 86
# and 87 s (while its gateway is offline), and its reading at 87 s carries a diagnostic field that
# makes its message as large as the producer may send (max_request_size, which is Kafka's default
# message.max.bytes less its framing). Each message sent is printed as one JSON line, the large one
# without its padding and with "message_bytes", its size. Usage:
#   python3 batching_gateways.py BOOTSTRAP TOPIC START_EPOCH_SECONDS SEED
import json
import random
import sys

from kafka import KafkaProducer
from kafka.errors import MessageSizeTooLargeError

bootstrap, topic, start, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
random.seed(seed)

producer = KafkaProducer(
    bootstrap_servers=bootstrap,
    value_serializer=lambda v: json.dumps(v).encode("utf-8"),
)

GATEWAYS = 3
DEVICES = 4  # per gateway
SECONDS = 150
SEND_EVERY = 10
OFFLINE_GATEWAY, OFFLINE_FROM, OFFLINE_TO = 1, 60, 100
HOT_DEVICE, HOT_AT, LARGE_AT = "device_5", (85, 86, 87), 87

queues = [[] for _ in range(GATEWAYS)]
last_sent = [3 * g - SEND_EVERY for g in range(GATEWAYS)]
hot = {}


def send_largest(message):
    """Sends message with a diagnostic field as long as the producer takes: the largest it may send."""
    size = producer.config["max_request_size"]
    while True:
        padded = dict(message, diag="x" * size)
        future = producer.send(topic, padded)  # fails at once when too large for the producer
        if not (future.is_done and isinstance(future.exception, MessageSizeTooLargeError)):
            break
        size -= 1
    future.get(timeout=60)  # the broker took it
    printed = dict(message, message_bytes=len(json.dumps(padded).encode("utf-8")))
    print(json.dumps(printed))


for second in range(SECONDS):
    now = start + second
    for g in range(GATEWAYS):
        for d in range(DEVICES):
            device = "device_%d" % (g * DEVICES + d + 1)
            if device == HOT_DEVICE and 80 <= second <= 88:
                temperature = round(random.uniform(71.0, 78.0), 1) if second in HOT_AT else 25.0
            else:
                if hot.get(device, 0) == 0 and random.random() < 0.03:
                    hot[device] = random.randint(2, 5)
                if hot.get(device, 0) > 0:
                    hot[device] -= 1
                    temperature = round(random.uniform(70.5, 78.0), 1)
                else:
                    temperature = round(random.uniform(20.0, 30.0), 1)
            queues[g].append({
                "device_id": device,
                "temperature": temperature,
                "humidity": round(random.uniform(30.0, 90.0), 1),
                "timestamp": now,
            })
        offline = g == OFFLINE_GATEWAY and OFFLINE_FROM <= second < OFFLINE_TO
        if not offline and second - last_sent[g] >= SEND_EVERY:
            for message in queues[g]:
                if message["device_id"] == HOT_DEVICE and message["timestamp"] == start + LARGE_AT:
                    send_largest(message)
                else:
                    producer.send(topic, message)
                    print(json.dumps(message))
            queues[g] = []
            last_sent[g] = second

for g in range(GATEWAYS):  # what is left at the end
    for message in queues[g]:
        producer.send(topic, message)
        print(json.dumps(message))

producer.flush()
