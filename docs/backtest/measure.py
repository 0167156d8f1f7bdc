#!/usr/bin/env python3
"""The measurements of docs/backtest.md (round 3), from the log alone, Sun-Thu, hours 07-23,
per date and hour: calls, P(abandon), mean wait (min), presence agents (sessions with gaps
<= 30 min, as tiersim fit), distinct agents, busy agents (talk / 60), the most agents busy at
once, the 95th percentile of agents busy, the share of the hour with somebody queued, and the
mean agents busy while somebody is queued (busyq). Then busyq / presence by hour and by
presence level, and the analytic check: Erlang-A per day-hour (fit-week patience = waits /
abandonments) with several staffing figures and service means (the fit week's by hour, or
each day-hour's own logged mean), pooled over the dates and correlated with the observed
hourly P(abandon) and mean wait, in-sample (1-7 Feb) and held-out (8-14 Feb).

    python3 docs/backtest/measure.py LOG"""
import sys
import csv, math
from collections import defaultdict
from datetime import date
LOG=sys.argv[1]
def sec(t):
    h,m,s=map(int,t.split(":")); return 3600*h+60*m+s
rows=[]
for r in csv.DictReader(open(LOG),delimiter="\t"):
    d=r["date"]
    wd=date(1900+int(d[:2]),int(d[2:4]),int(d[4:])).isoweekday()
    if wd in (5,6) or r["outcome"]=="PHANTOM": continue
    queued=r["q_start"]!="0:00:00"
    if r["outcome"]=="HANG" and not queued: continue
    a=sec(r["vru_exit"]); qs=sec(r["q_start"]) if queued else None; qe=sec(r["q_exit"]) if queued else None
    if queued and qe<qs: qe+=86400
    ss=se=None
    if r["outcome"]=="AGENT":
        ss=sec(r["ser_start"]); se=sec(r["ser_exit"])
        if se<ss: se+=86400
    rows.append(dict(d=d,a=a,qs=qs,qe=qe,ss=ss,se=se,ab=r["outcome"]=="HANG",ag=r["server"],ty=r["type"],pr=r["priority"]))
days=sorted({r["d"] for r in rows})
H=range(7,24)
def stats(d):
    rs=[r for r in rows if r["d"]==d]
    # event sweep per second is fine (86400*... ) use arrays
    busy=[0]*(86400*2); q=[0]*(86400*2)
    for r in rs:
        if r["ss"] is not None and r["ag"]!="NO_SERVER":
            for t in range(r["ss"],r["se"]): busy[t]+=1
        if r["qs"] is not None:
            for t in range(r["qs"],r["qe"]): q[t]+=1
    out={}
    for h in H:
        sl=range(h*3600,(h+1)*3600)
        qt=[busy[t] for t in sl if q[t]>0]
        out[h]=dict(maxbusy=max(busy[t] for t in sl), busy=sum(busy[t] for t in sl)/3600,
            qfrac=len(qt)/3600, busyq=(sum(qt)/len(qt) if qt else float('nan')),
            q95=sorted(busy[t] for t in sl)[int(0.95*3600)])
    return out
S={d:stats(d) for d in days}
pres=defaultdict(float)
ag=defaultdict(list)
for r in rows:
    if r["ss"] is not None and r["ag"]!="NO_SERVER": ag[(r["d"],r["ag"])].append((r["ss"],r["se"]))
for (d,a),l in ag.items():
    l.sort(); sess=[list(l[0])]
    for s,e in l[1:]:
        if s-sess[-1][1]<=1800: sess[-1][1]=max(sess[-1][1],e)
        else: sess.append([s,e])
    for s,e in sess:
        for h in H:
            pres[d,h]+=max(0,min(e,(h+1)*3600)-max(s,h*3600))/3600
dist=defaultdict(set)
for r in rows:
    if r["ss"] is not None and r["ag"]!="NO_SERVER": dist[r["d"],r["ss"]//3600].add(r["ag"])
calls=defaultdict(int);ab=defaultdict(int);wt=defaultdict(float);svc=defaultdict(list)
for r in rows:
    h=r["a"]//3600
    calls[r["d"],h]+=1; ab[r["d"],h]+=r["ab"]
    if r["qs"] is not None: wt[r["d"],h]+=(r["qe"]-r["qs"])/60
    if r["ss"] is not None and r["ag"]!="NO_SERVER" and r["se"]>r["ss"]: svc[r["d"],h].append((r["se"]-r["ss"])/60)
pres=dict(pres); dist={k:len(v) for k,v in dist.items()}; calls=dict(calls); ab=dict(ab); wt=dict(wt); svc=dict(svc)
print("days",days)
for d in days:
    print(d)
    for h in H:
        s=S[d][h]
        print(f" {h:2d} calls {calls.get((d,h),0):3d} pab {ab.get((d,h),0)/max(1,calls.get((d,h),0)):.2f} wait {wt.get((d,h),0)/max(1,calls.get((d,h),0)):.2f} pres {pres.get((d,h),0):.1f} dist {dist.get((d,h),0)} busy {s['busy']:.1f} max {s['maxbusy']} q95 {s['q95']} qfrac {s['qfrac']:.2f} busyq {s['busyq']:.1f}")

print('== busyq / presence, day-hours queued > 10% of the time (weighted by that share)')
for wk,ds in (("fit",[d for d in days if d<="990207"]),("test",[d for d in days if d>="990208"])):
    row=[]
    for h in range(7,24):
        num=den=0
        for d in ds:
            s=S[d][h]
            if s["qfrac"]>0.1: num+=s["busyq"]*s["qfrac"]; den+=pres[d,h]*s["qfrac"]
        row.append(f"{h}:{num/den:.2f}" if den else f"{h}:-")
    print(wk," ".join(row))
    # also ratio of busyq to pres vs pres level
    pts=[(pres[d,h],S[d][h]["busyq"]) for d in ds for h in range(7,24) if S[d][h]["qfrac"]>0.3]
    for lo,hi in ((0,3),(3,4.5),(4.5,6),(6,7.5),(7.5,11)):
        sel=[(p,b) for p,b in pts if lo<=p<hi]
        if sel: print(f"   pres in [{lo},{hi}): n {len(sel)} mean pres {sum(p for p,b in sel)/len(sel):.2f} busyq {sum(b for p,b in sel)/len(sel):.2f} ratio {sum(b for p,b in sel)/sum(p for p,b in sel):.2f} diff {sum(p-b for p,b in sel)/len(sel):.2f}")

H=range(7,24)
FIT=[d for d in days if d<="990207"]; TEST=[d for d in days if d>="990208"]
def eab(lam, es, n, pat):
    if n<=0: return 1.0
    p,k=[1.0],1
    while k<n or p[-1]>1e-12*sum(p):
        p.append(p[-1]*lam/(min(k,n)/es+max(0,k-n)/pat)); k+=1
        if k>5000: break
    s=sum(p); lq=sum(max(0,i-n)*v/s for i,v in enumerate(p)); return lq/pat/lam
def eabf(lam,es,n,pat):
    lo=max(1,int(n)); w=n-lo
    if n<1: return eab(lam,es,1,pat)
    return (1-w)*eab(lam,es,lo,pat)+w*eab(lam,es,lo+1,pat)
def pearson(x,y):
    mx,my=sum(x)/len(x),sum(y)/len(y)
    sxy=sum((a-mx)*(b-my) for a,b in zip(x,y)); sxx=sum((a-mx)**2 for a in x); syy=sum((b-my)**2 for b in y)
    return sxy/math.sqrt(sxx*syy)
# fit-week patience and service by hour
def patience(ds): return sum(wt[d,h] for d in ds for h in range(24) if (d,h) in wt)/sum(ab[d,h] for d in ds for h in range(24) if (d,h) in ab)
def es_by_hour(ds):
    return {h: sum(sum(svc.get((d,h),[])) for d in ds)/sum(len(svc.get((d,h),[])) for d in ds) for h in H}
pat=patience(FIT); esh=es_by_hour(FIT); esday=sum(sum(svc.get((d,h),[])) for d in FIT for h in H)/sum(len(svc.get((d,h),[])) for d in FIT for h in H)
print(f"patience {pat:.2f} es_day {esday:.2f}", {h:round(v,2) for h,v in esh.items()})
def obs(ds):
    c={h:sum(calls.get((d,h),0) for d in ds) for h in H}
    return [sum(ab.get((d,h),0) for d in ds)/c[h] for h in H],[sum(wt.get((d,h),0) for d in ds)/c[h] for h in H],c
ests={
 "pres":lambda d,h:pres.get((d,h),0),
 "pres*0.8":lambda d,h:0.8*pres.get((d,h),0),
 "dist":lambda d,h:dist.get((d,h),0),
 "busy":lambda d,h:S[d][h]["busy"],
 "maxbusy":lambda d,h:S[d][h]["maxbusy"],
 "q95":lambda d,h:S[d][h]["q95"],
 "busyq|max":lambda d,h:S[d][h]["busyq"] if S[d][h]["qfrac"]>0.05 else S[d][h]["maxbusy"],
}
for name,ds in (("in-sample",FIT),("held-out",TEST)):
    opab,ow,c=obs(ds)
    naive=[c[h]/sum(dist.get((d,h),0) for d in ds) for h in H]
    print(f"== {name}: naive r {pearson(naive,opab):+.2f}/{pearson(naive,ow):+.2f}  obs pab {sum(p*c[h] for p,h in zip(opab,H))/sum(c.values()):.4f}")
    for en,f in ests.items():
        for esn,es in (("es(h)",lambda h:esh[h]),("es day",lambda h:esday)):
            for frac in (True,False):
                pr=[]
                for h in H:
                    num=0
                    for d in ds:
                        lam=calls.get((d,h),0)/60; n=f(d,h)
                        if lam==0: continue
                        p=eabf(lam,es(h),n,pat) if frac else eab(lam,es(h),max(1,round(n)),pat)
                        num+=p*calls[d,h]
                    pr.append(num/c[h])
                tot=sum(p*c[h] for p,h in zip(pr,H))/sum(c.values())
                print(f"  {en:10s} {esn:6s} {'frac' if frac else 'round'}: pab {tot:.4f} r {pearson(pr,opab):+.2f}/{pearson(pr,ow):+.2f}")
print("==== actual service mean per day-hour (the work that arrived) ====")
for name,ds in (("in-sample",FIT),("held-out",TEST)):
    opab,ow,c=obs(ds)
    print(f"== {name}")
    for en,f in ests.items():
        pr=[];per=[]
        for h in H:
            num=0
            for d in ds:
                lam=calls.get((d,h),0)/60; n=f(d,h)
                if lam==0: continue
                sv=svc.get((d,h),[]); es=sum(sv)/len(sv) if sv else esh[h]
                p=eabf(lam,es,n,pat); num+=p*calls[d,h]; per.append((p,ab[d,h]/calls[d,h]))
            pr.append(num/c[h])
        tot=sum(p*c[h] for p,h in zip(pr,H))/sum(c.values())
        print(f"  {en:10s}: pab {tot:.4f} r {pearson(pr,opab):+.2f}/{pearson(pr,ow):+.2f}  day-hour r {pearson([a for a,b in per],[b for a,b in per]):+.2f}")
    naive=[calls[d,h]/max(1,dist.get((d,h),0)) for d in ds for h in H]
    print("  naive day-hour r", round(pearson(naive,[ab[d,h]/calls[d,h] for d in ds for h in H]),2))
print("==== residuals held-out, actual service ====")
opab,ow,c=obs(TEST)
naive=[c[h]/sum(dist.get((d,h),0) for d in TEST) for h in H]
for en in ("pres*0.8","busyq|max","pres"):
    f=ests[en]; row=[]
    for i,h in enumerate(H):
        num=0
        for d in TEST:
            lam=calls.get((d,h),0)/60
            sv=svc.get((d,h),[]); es=sum(sv)/len(sv) if sv else esh[h]
            num+=eabf(lam,es,f(d,h),pat)*calls[d,h]
        row.append(f"{h}:{num/c[h]*100:.0f}/{opab[i]*100:.0f}")
    print(en," ".join(row))
print("naive", " ".join(f"{h}:{naive[i]:.1f}" for i,h in enumerate(H)))
