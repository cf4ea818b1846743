"""The command a Houdini task runs: hython renders each input ROP's frames of the chunk.

One task renders every ROP wired into the job, each only on the frames of the chunk that lie
in its own Valid Frame Range (a ROP set to the current frame renders that frame), the way
Houdini's strict frame range does (a ROP without a frame range, such as a Merge, renders
the whole chunk); so ROPs with different ranges share one job, and custom
frames choose the frames the job covers without making a ROP render outside its range. The
range is read from the render package on the farm, so it is the one that was submitted.
A ROP renders without its inputs: ROPs wired into it are tasks of their own that its task
depends on (``farmhand.core.host.source_dependencies``).

The command is ``hython -c '<code>' <render_package> <chunkstart> <chunkend> <chunkstep>
<sources>``: self-contained (nothing of Farmhand is needed on the farm), single-quoted for the
shell (the code holds no single quote), valid Python 2.7 and 3.
"""

RENDER_CODE = "\n".join(
    [
        "import sys,hou;a=sys.argv;s,e,i=[int(x) for x in a[2:5]]",
        "hou.hipFile.load(a[1],suppress_save_prompt=True,ignore_load_warnings=True)",
        "for p in a[5:]:",
        " r=hou.node(p);t=r.parm('trange');q=r.parmTuple('f')",
        " c=int(round(hou.frame()))",
        " g=[int(round(x)) for x in q.eval()[:3]] if q and (t is None or t.eval()) else [c,c,1]",
        " g=g if q else [s,e,1]",
        " f=[x for x in range(s,e+1,max(i,1)) if g[0]<=x<=g[1] and (x-g[0])%max(g[2],1)==0]",
        " f and r.render(frame_range=(f[0],f[-1],f[1]-f[0] if f[1:] else 1),ignore_inputs=True)",
    ]
).replace("'", '"')

TASK_TEMPLATE = (
    "hython -c '" + RENDER_CODE + "' <render_package> <chunkstart> <chunkend> <chunkstep> <sources>"
)


def default_task_template() -> str:
    return TASK_TEMPLATE
