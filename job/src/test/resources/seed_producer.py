# A producer written the way the inspiration project wrote its own (kafka-python, json.dumps with its default
# spacing, three devices, random.uniform temperatures and humidities rounded to 2 decimals, epoch
# seconds, no key), with two changes for a test: the loop stops after COUNT readings, and it does
# not sleep between them, so many readings of a device share one second. Each message it sent is
# printed as one JSON line. Usage: python3 seed_producer.py BOOTSTRAP TOPIC COUNT
import json
import random
import sys
import time

from kafka import KafkaProducer

bootstrap, topic, count = sys.argv[1], sys.argv[2], int(sys.argv[3])

producer = KafkaProducer(
    bootstrap_servers=bootstrap,
    value_serializer=lambda v: json.dumps(v).encode("utf-8"),
)

iot_device_ids = ["device_1", "device_2", "device_3"]

for _ in range(count):
    message = {
        "device_id": random.choice(iot_device_ids),
        "temperature": round(random.uniform(20.0, 80.0), 2),
        "humidity": round(random.uniform(30.0, 90.0), 2),
        "timestamp": int(time.time())
    }
    producer.send(topic, message)
    print(json.dumps(message))

producer.flush()
