from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from .models import Schedule


@login_required
def schedule_detail(request, pk):
    schedule = get_object_or_404(Schedule.objects.visible_to(request.user), pk=pk)
    return HttpResponse(str(schedule))


def ical_feed(request, token):
    return HttpResponse(status=404)
