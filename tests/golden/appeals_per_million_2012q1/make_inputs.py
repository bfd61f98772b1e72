# Writes appeals.csv.gz and subscribers.csv of this case (see README.md). Run from this folder.
import gzip

# Accepted appeals per operator and class, 2012 Q1 (the published table) and 2011 Q4 (inferred).
Q1 = {"中国电信": (2033, 752, 1296), "中国移动": (2393, 936, 2611), "中国联通": (2526, 1430, 2078)}
Q4 = {"中国电信": 3821, "中国移动": 6735, "中国联通": 6960}
# Each class spread over categories that belong to it.
CLASSES = (["service_attitude", "marketing", "porting", "other"],
           ["network", "broadband_speed"],
           ["billing", "package_change"])

rows = ["appeal_id,operator,category,received_at,accepted,outcome,closed_at"]
n = 0


def emit(op, category, year, months, count, accepted="1"):
    global n
    for i in range(count):
        n += 1
        m = months[i % 3]
        day = 1 + (i // 3) % 28
        rows.append(f"S{n:06d},{op},{category},{year}-{m:02d}-{day:02d} 10:00:00,{accepted},,")


for op, counts in Q1.items():
    for cls, count in enumerate(counts):
        cats = CLASSES[cls]
        for j, cat in enumerate(cats):
            share = count // len(cats) + (1 if j < count % len(cats) else 0)
            emit(op, cat, 2012, [1, 2, 3], share)
# Appeals the centre did not accept: received, but not in the rate.
emit("中国电信", "billing", 2012, [1, 2, 3], 120, accepted="0")
for op, count in Q4.items():
    emit(op, "network", 2011, [10, 11, 12], count)
with gzip.open("appeals.csv.gz", "wt", encoding="utf-8", newline="\n") as f:
    f.write("\n".join(rows) + "\n")
