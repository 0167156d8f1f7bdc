#!/usr/bin/env python3
"""The forecast measurements of docs/backtest.md (round 3): hourly volume MAPE of the fit
week's (1-7 Feb, Sun-Thu) profile on the held-out week, pooled and per day-hour, with the
pooled profile x the weekday's fitted total or a profile per weekday; the Gamma day-effect cv
beyond Poisson from the fit week's day totals, the fit week's hour-level overdispersion, and
how often 10-90% Gamma-Poisson bands (seed 1) cover the held-out day-hours' volumes.

    python3 docs/backtest/forecast.py LOG"""
import math, sys
from collections import defaultdict
exec(open(sys.path[0] + "/compare.py").read().split("def observed")[0])   # sec()
import csv
calls = defaultdict(int)
for r in csv.DictReader(open(sys.argv[1]), delimiter="\t"):
    d = r["date"]
    if r["outcome"] == "PHANTOM" or date(1900 + int(d[:2]), int(d[2:4]), int(d[4:])).isoweekday() in (5, 6):
        continue
    if r["outcome"] == "HANG" and r["q_start"] == "0:00:00":
        continue
    calls[d, sec(r["vru_exit"]) // 3600] += 1
days = sorted({d for d, _ in calls})
H=range(7,24)
FIT=[d for d in days if d<="990207"]; TEST=[d for d in days if d>="990208"]
wd=lambda d: date(1900+int(d[:2]),int(d[2:4]),int(d[4:])).weekday()
fitby={wd(d):d for d in FIT}; testby={wd(d):d for d in TEST}
tot=lambda d: sum(calls.get((d,h),0) for h in range(24))
pooled={h:sum(calls.get((d,h),0) for d in FIT)/sum(tot(d) for d in FIT) for h in range(24)}
def mape(pairs): return sum(abs(f-o)/o for f,o in pairs if o>0)/len(pairs)
A=[];B=[]
for w,dt in testby.items():
    df=fitby[w]
    for h in H:
        o=calls.get((dt,h),0)
        A.append((pooled[h]*tot(df),o)); B.append((calls.get((df,h),0),o))
print(f"day-hour MAPE: pooled profile x weekday total {mape(A)*100:.1f}%  per-weekday profile {mape(B)*100:.1f}%")
P=[(sum(calls.get((d,h),0) for d in FIT),sum(calls.get((d,h),0) for d in TEST)) for h in H]
print(f"pooled-hour MAPE {mape(P)*100:.1f}%")
# day totals
ft=[tot(d) for d in FIT]; tt=[tot(d) for d in TEST]
print("fit totals",ft,"test totals",tt)
m=sum(ft)/len(ft); v=sum((x-m)**2 for x in ft)/(len(ft)-1)
cv2=max(0,(v-m)/m**2); print(f"fit-week day totals mean {m:.0f} var {v:.0f}; Gamma cv (beyond Poisson) {math.sqrt(cv2):.3f}")
# also weekday effect: Sun vs others
# coverage: 80% band of hour volume under Gamma-Poisson with mean = forecast per day-hour (pooled profile x weekday total)
import random
random.seed(1)
cv=math.sqrt(cv2)
def band(mu,cv,q=(0.1,0.9),n=4000):
    xs=[]
    for _ in range(n):
        g=random.gammavariate(1/cv**2,cv**2) if cv>0 else 1.0
        lam=mu*g
        # poisson sample
        if lam<50:
            L=math.exp(-lam);k=0;p=1.0
            while True:
                p*=random.random()
                if p<L: break
                k+=1
        else: k=max(0,round(random.gauss(lam,math.sqrt(lam))))
        xs.append(k)
    xs.sort(); return xs[int(q[0]*n)], xs[int(q[1]*n)-1]
for label,c in (("poisson only",0.0),("gamma cv from day totals",cv)):
    cov=0;n=0
    for w,dt in testby.items():
        df=fitby[w]
        for h in H:
            mu=pooled[h]*tot(df); lo,hi=band(mu,c); o=calls.get((dt,h),0); cov+=lo<=o<=hi; n+=1
    print(f"{label}: 10-90% band covers {cov}/{n} = {cov/n*100:.0f}% of held-out day-hours")
# hour-level overdispersion estimated in-sample on the fit week: E[(o-mu)^2 - mu]/mu^2 with mu=pooled[h]*tot(d)
num=den=0
for d in FIT:
    for h in H:
        mu=pooled[h]*tot(d); o=calls.get((d,h),0); num+=(o-mu)**2-mu; den+=mu**2
cvh=math.sqrt(max(0,num/den)); print(f"fit-week hour-level cv beyond Poisson {cvh:.3f}")
c2=math.sqrt(cv**2+cvh**2)
cov=0;n=0
for w,dt in testby.items():
    df=fitby[w]
    for h in H:
        mu=pooled[h]*tot(df); lo,hi=band(mu,c2); o=calls.get((dt,h),0); cov+=lo<=o<=hi; n+=1
print(f"day+hour cv {c2:.3f}: 10-90% band covers {cov}/{n} = {cov/n*100:.0f}%")
